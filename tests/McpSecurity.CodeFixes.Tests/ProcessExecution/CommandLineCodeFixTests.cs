using McpSecurity.CodeFixes.ProcessExecution;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.CodeFixVerifier<
    McpSecurity.Analyzers.ProcessExecution.ProcessStartAnalyzer,
    McpSecurity.CodeFixes.ProcessExecution.CommandLineCodeFix>;

namespace McpSecurity.CodeFixes.Tests.ProcessExecution;

/// <summary>MCPSEC402's rewrite: an Arguments string split into ArgumentList items, each hole one argument.</summary>
public class CommandLineCodeFixTests
{
    private const string Key = CommandLineCodeFix.EquivalenceKey;

    private static Task NoFix(string source) => Verify.VerifyAsync(source, source, Key);

    private static Task VerifyAsync(string source, string fixedSource, string key, bool leavesRefused)
    {
        var test = Verify.CreateTest(source, fixedSource, key);
        if (leavesRefused)
        {
            test.FixedState.MarkupHandling = MarkupMode.Allow;
        }

        return test.RunAsync();
    }

    private static DiagnosticResult Untrusted(int markup)
        => new DiagnosticResult(Analyzers.RuleIdentifiers.CommandLineBuiltFromStrings, Microsoft.CodeAnalysis.DiagnosticSeverity.Error).WithLocation(markup);

    // 'git log --upload-pack=…' from a tool's input: one argument still, but an option. git takes
    // --end-of-options (not '--', after which a revision would be read as a path); rg takes '--'.
    [Fact]
    public Task Values_from_input_come_after_the_end_of_options_where_the_program_takes_it() => Verify.VerifyAsync("""
        using System.Diagnostics;
        public static class Search
        {
            public static void Run(string revision, string pattern, string path)
            {
                Process.Start(new ProcessStartInfo("git") { Arguments = {|MCPSEC402:"log " + revision|} });
                Process.Start(new ProcessStartInfo("rg") { Arguments = {|MCPSEC402:$"{pattern} {path}"|} });
            }
        }
        """, """
        using System.Diagnostics;
        public static class Search
        {
            public static void Run(string revision, string pattern, string path)
            {
                Process.Start(new ProcessStartInfo("git") { UseShellExecute = false, ArgumentList = { "log", "--end-of-options", revision } });
                Process.Start(new ProcessStartInfo("rg") { UseShellExecute = false, ArgumentList = { "--", pattern, path } });
            }
        }
        """, Key);

    // An option after the value would become an operand; an option before it may take the value as its argument.
    [Fact]
    public Task No_end_of_options_where_an_option_follows_or_precedes_the_value_or_the_program_is_unknown() => Verify.VerifyAsync("""
        using System.Diagnostics;
        public static class Search
        {
            public static void Run(string pattern, string count, string file)
            {
                Process.Start(new ProcessStartInfo("rg") { Arguments = {|MCPSEC402:pattern + " --json"|} });
                Process.Start(new ProcessStartInfo("git") { Arguments = {|MCPSEC402:"log -n " + count|} });
                Process.Start(new ProcessStartInfo("ffprobe") { Arguments = {|MCPSEC402:"-i " + file|} });
            }
        }
        """, """
        using System.Diagnostics;
        public static class Search
        {
            public static void Run(string pattern, string count, string file)
            {
                Process.Start(new ProcessStartInfo("rg") { UseShellExecute = false, ArgumentList = { pattern, "--json" } });
                Process.Start(new ProcessStartInfo("git") { UseShellExecute = false, ArgumentList = { "log", "-n", count } });
                Process.Start(new ProcessStartInfo("ffprobe") { UseShellExecute = false, ArgumentList = { "-i", file } });
            }
        }
        """, Key);

    [Fact]
    public Task Git_clone_arguments_become_an_argument_list() => Verify.VerifyAsync("""
        using System.Diagnostics;
        public static class Git
        {
            public static Process? Clone(string url)
            {
                var psi = new ProcessStartInfo("git") { Arguments = {|MCPSEC402:"clone --depth 1 " + url|}, RedirectStandardOutput = true };
                return Process.Start(psi);
            }
        }
        """, """
        using System.Diagnostics;
        public static class Git
        {
            public static Process? Clone(string url)
            {
                var psi = new ProcessStartInfo("git") { UseShellExecute = false, ArgumentList = { "clone", "--depth", "1", "--end-of-options", url }, RedirectStandardOutput = true };
                return Process.Start(psi);
            }
        }
        """, Key);

    [Fact]
    public Task Process_Start_with_an_interpolated_command_line_gets_a_start_info() => Verify.VerifyAsync("""
        using System.Diagnostics;
        public static class Git
        {
            public static void Log(string branch)
            {
                Process.Start("git", {|MCPSEC402:$"log --oneline {branch}"|});
            }
        }
        """, """
        using System.Diagnostics;
        public static class Git
        {
            public static void Log(string branch)
            {
                Process.Start(new ProcessStartInfo
                {
                    FileName = "git",
                    UseShellExecute = false,
                    ArgumentList = { "log", "--oneline", branch },
                });
            }
        }
        """, Key);

    [Fact]
    public Task Format_and_quoted_holes_become_single_arguments() => Verify.VerifyAsync("""
        using System.Diagnostics;
        public static class Git
        {
            public static void Commit(ProcessStartInfo psi, string message, string author, int depth)
            {
                psi.Arguments = {|MCPSEC402:string.Format("commit -m \"{0}\" --author={1} --depth {2}", message, author, depth)|};
            }
        }
        """, """
        using System.Diagnostics;
        public static class Git
        {
            public static void Commit(ProcessStartInfo psi, string message, string author, int depth)
            {
                psi.UseShellExecute = false;
                psi.ArgumentList.Add("commit");
                psi.ArgumentList.Add("-m");
                psi.ArgumentList.Add(message);
                psi.ArgumentList.Add($"--author={author}");
                psi.ArgumentList.Add("--depth");
                psi.ArgumentList.Add($"{depth}");
            }
        }
        """, Key);

    [Fact]
    public Task Constructor_arguments_move_into_the_initializer() => Verify.VerifyAsync("""
        using System.Diagnostics;
        public static class Media
        {
            public static ProcessStartInfo Probe(string file)
            {
                var psi = new ProcessStartInfo("ffprobe", {|MCPSEC402:"-v error -of json \"" + file + "\""|})
                {
                    RedirectStandardOutput = true,
                    UseShellExecute = false
                };
                return psi;
            }
        }
        """, """
        using System.Diagnostics;
        public static class Media
        {
            public static ProcessStartInfo Probe(string file)
            {
                var psi = new ProcessStartInfo("ffprobe")
                {
                    RedirectStandardOutput = true,
                    UseShellExecute = false,
                    ArgumentList = { "-v", "error", "-of", "json", file }
                };
                return psi;
            }
        }
        """, Key);

    [Fact]
    public async Task Tool_input_is_fixed_like_any_other_value()
    {
        var test = Verify.CreateTest("""
            using System.Diagnostics;
            using ModelContextProtocol.Server;
            [McpServerToolType]
            public static class GitTools
            {
                [McpServerTool]
                public static void Clone(string url) => Process.Start("git", {|#0:"clone --depth 1 -- " + url|});
            }
            """, """
            using System.Diagnostics;
            using ModelContextProtocol.Server;
            [McpServerToolType]
            public static class GitTools
            {
                [McpServerTool]
                public static void Clone(string url) => Process.Start(new ProcessStartInfo
                {
                    FileName = "git",
                    UseShellExecute = false,
                    ArgumentList = { "clone", "--depth", "1", "--", url },
                });
            }
            """, Key, McpSecurity.TestSupport.McpServerStubs.Source);
        test.ExpectedDiagnostics.Add(Untrusted(0));
        await test.RunAsync();
    }

    [Fact]
    public Task No_fix_for_ambiguous_quoting_or_values_that_stand_for_several_arguments() => NoFix("""
        using System.Collections.Generic;
        using System.Diagnostics;
        public static class Builds
        {
            public static void Run(string project, string extraArgs, List<string> files)
            {
                Process.Start("dotnet", {|MCPSEC402:"build \\\"" + project + "\\\""|});
                Process.Start("dotnet", {|MCPSEC402:"build \"" + project|});
                Process.Start("dotnet", {|MCPSEC402:"build " + project + " " + extraArgs|});
                Process.Start("tar", {|MCPSEC402:"-czf out.tgz " + string.Join(" ", files)|});
                Process.Start("dotnet", {|MCPSEC402:$"build {project,-20}"|});
                var arguments = "test " + project;
                Process.Start("dotnet", {|MCPSEC402:arguments + " --no-build"|});
            }
        }
        """);

    // Found on a real MCP server: one local given a start info in each branch of an if. Rewriting
    // one branch also turned the other branch's UseShellExecute = true (opening a file) to false.
    [Fact]
    public Task No_fix_when_the_start_info_is_created_in_several_places() => NoFix("""
        using System.Diagnostics;
        public static class Services
        {
            public static Process? Start(bool development, string dllPath)
            {
                ProcessStartInfo startInfo;
                if (development)
                {
                    startInfo = new ProcessStartInfo
                    {
                        FileName = "dotnet",
                        Arguments = {|MCPSEC402:$"\"{dllPath}\" service run"|},
                        UseShellExecute = false,
                    };
                }
                else
                {
                    startInfo = new ProcessStartInfo { FileName = "https://example.com/service-docs", UseShellExecute = true };
                }

                return Process.Start(startInfo);
            }
        }
        """);

    [Fact]
    public Task Fix_all_splits_every_command_line_in_the_document() => VerifyAsync("""
        #nullable enable
        using System.Diagnostics;
        public static class Tools
        {
            public static int Run(string url, string branch, string file, string project)
            {
                using var clone = Process.Start("git", {|MCPSEC402:"clone --depth 1 " + url|});
                var log = new ProcessStartInfo("git") { Arguments = {|MCPSEC402:$"log {branch}"|} };
                var probe = new ProcessStartInfo { FileName = "ffprobe" };
                probe.Arguments = {|MCPSEC402:"-i \"" + file + "\""|};
                var build = new ProcessStartInfo("dotnet", {|MCPSEC402:"build \"" + project|});
                return clone.Id + log.ArgumentList.Count + probe.ArgumentList.Count + build.Arguments.Length;
            }
        }
        """, """
        #nullable enable
        using System.Diagnostics;
        public static class Tools
        {
            public static int Run(string url, string branch, string file, string project)
            {
                using var clone = Process.Start(new ProcessStartInfo
                {
                    FileName = "git",
                    UseShellExecute = false,
                    ArgumentList = { "clone", "--depth", "1", "--end-of-options", url },
                })!;
                var log = new ProcessStartInfo("git") { UseShellExecute = false, ArgumentList = { "log", "--end-of-options", branch } };
                var probe = new ProcessStartInfo { FileName = "ffprobe" };
                probe.UseShellExecute = false;
                probe.ArgumentList.Add("-i");
                probe.ArgumentList.Add(file);
                var build = new ProcessStartInfo("dotnet", {|MCPSEC402:"build \"" + project|});
                return clone.Id + log.ArgumentList.Count + probe.ArgumentList.Count + build.Arguments.Length;
            }
        }
        """, Key, leavesRefused: true);
}
