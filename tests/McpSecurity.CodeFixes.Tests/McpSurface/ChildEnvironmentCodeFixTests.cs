using McpSecurity.CodeFixes.McpSurface;
using McpSecurity.CodeFixes.ProcessExecution;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.CodeFixVerifier<
    McpSecurity.Analyzers.McpSurface.ChildEnvironmentAnalyzer,
    McpSecurity.CodeFixes.McpSurface.ChildEnvironmentCodeFix>;

namespace McpSecurity.CodeFixes.Tests.McpSurface;

/// <summary>MCPSEC609's fix: the child's environment cleared and the allow-listed variables copied back, next to the creation.</summary>
public class ChildEnvironmentCodeFixTests
{
    private const string Key = ChildEnvironmentCodeFix.EquivalenceKey;

    /// <summary>What makes the compilation an MCP server: a declared tool.</summary>
    private const string ServerTools = """
        [ModelContextProtocol.Server.McpServerToolType]
        public static class PingTools
        {
            [ModelContextProtocol.Server.McpServerTool]
            public static string Ping() => "pong";
        }
        """;

    private const string ShortList = "root = true\n\n[*.cs]\nmcpsec.child_environment_allow_list = PATH,HOME\n";

    private static Task VerifyAsync(string source, string fixedSource, string? editorConfig = ShortList, OutputKind? outputKind = null)
    {
        var test = Verify.CreateTest(source, fixedSource, Key, McpServerStubs.Source, ServerTools);
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
        }

        if (outputKind is { } kind)
        {
            test.TestState.OutputKind = kind;
            test.FixedState.OutputKind = kind;
        }

        return test.RunAsync();
    }

    [Fact]
    public Task Clears_the_environment_and_copies_the_default_allow_list() => VerifyAsync("""
        using System.Diagnostics;
        public static class Git
        {
            public static void Status()
            {
                var startInfo = {|MCPSEC609:new ProcessStartInfo("git", "status")|};
                Process.Start(startInfo);
            }
        }
        """, """
        using System.Diagnostics;
        public static class Git
        {
            public static void Status()
            {
                var startInfo = new ProcessStartInfo("git", "status");
                // The child gets only these variables: the server's secrets stay in the server.
                startInfo.Environment.Clear();
                foreach (var name in new[] { "PATH", "HOME", "USER", "LANG", "LC_ALL", "TMPDIR", "TEMP", "TMP", "SystemRoot", "windir", "ComSpec", "PATHEXT", "USERPROFILE" })
                {
                    var variable = System.Environment.GetEnvironmentVariable(name);
                    if (variable != null)
                    {
                        startInfo.Environment[name] = variable;
                    }
                }
                Process.Start(startInfo);
            }
        }
        """, editorConfig: null);

    [Fact]
    public Task Fixes_every_start_of_a_document_with_the_configured_list_and_names_that_are_free() => VerifyAsync("""
        using System;
        using System.Diagnostics;
        public static class Tools
        {
            public static void Build(string name)
            {
                var variable = "Release";
                using var process = {|MCPSEC609:new Process()|};
                process.StartInfo.FileName = "dotnet";
                process.StartInfo.ArgumentList.Add(variable);
                process.Start();
            }

            public static void Fetch()
            {
                using var process = new Process { StartInfo = {|MCPSEC609:new ProcessStartInfo { FileName = "git", ArgumentList = { "fetch" } }|} };
                process.Start();
                ProcessStartInfo other;
                other = {|MCPSEC609:new ProcessStartInfo("git")|};
                Process.Start(other);
            }
        }
        """, """
        using System;
        using System.Diagnostics;
        public static class Tools
        {
            public static void Build(string name)
            {
                var variable = "Release";
                using var process = new Process();
                // The child gets only these variables: the server's secrets stay in the server.
                process.StartInfo.Environment.Clear();
                foreach (var name2 in new[] { "PATH", "HOME" })
                {
                    var variable2 = Environment.GetEnvironmentVariable(name2);
                    if (variable2 != null)
                    {
                        process.StartInfo.Environment[name2] = variable2;
                    }
                }
                process.StartInfo.FileName = "dotnet";
                process.StartInfo.ArgumentList.Add(variable);
                process.Start();
            }

            public static void Fetch()
            {
                using var process = new Process { StartInfo = new ProcessStartInfo { FileName = "git", ArgumentList = { "fetch" } } };
                // The child gets only these variables: the server's secrets stay in the server.
                process.StartInfo.Environment.Clear();
                foreach (var name in new[] { "PATH", "HOME" })
                {
                    var variable = Environment.GetEnvironmentVariable(name);
                    if (variable != null)
                    {
                        process.StartInfo.Environment[name] = variable;
                    }
                }
                process.Start();
                ProcessStartInfo other;
                other = new ProcessStartInfo("git");
                // The child gets only these variables: the server's secrets stay in the server.
                other.Environment.Clear();
                foreach (var name2 in new[] { "PATH", "HOME" })
                {
                    var variable2 = Environment.GetEnvironmentVariable(name2);
                    if (variable2 != null)
                    {
                        other.Environment[name2] = variable2;
                    }
                }
                Process.Start(other);
            }
        }
        """);

    [Fact]
    public Task Fixes_top_level_statements() => VerifyAsync("""
        using System.Diagnostics;
        var startInfo = {|MCPSEC609:new ProcessStartInfo("git", "fetch")|};
        Process.Start(startInfo);
        """, """
        using System.Diagnostics;
        var startInfo = new ProcessStartInfo("git", "fetch");
        // The child gets only these variables: the server's secrets stay in the server.
        startInfo.Environment.Clear();
        foreach (var name in new[] { "PATH", "HOME" })
        {
            var variable = System.Environment.GetEnvironmentVariable(name);
            if (variable != null)
            {
                startInfo.Environment[name] = variable;
            }
        }
        Process.Start(startInfo);
        """, outputKind: OutputKind.ConsoleApplication);

    [Fact]
    public Task No_fix_without_a_start_info_in_a_variable_or_where_the_initializer_sets_variables()
    {
        const string Source = """
            using System.Diagnostics;
            public static class Tools
            {
                public static void Run() => {|MCPSEC609:Process.Start("git", "status")|};

                public static ProcessStartInfo Create() => {|MCPSEC609:new ProcessStartInfo("git")|};

                public static void Build()
                {
                    var startInfo = {|MCPSEC609:new ProcessStartInfo("dotnet") { Environment = { ["Configuration"] = "Release" } }|};
                    Process.Start(startInfo);
                }
            }
            """;
        return VerifyAsync(Source, Source);
    }

    // MCPSEC402's fix rewrites the same start info: each fix must leave the other's diagnostic fixable, in either order, to the same code.
    private const string BothFindings = """
        using System.Diagnostics;
        public static class Git
        {
            public static void Clone(string url)
            {
                var psi = new ProcessStartInfo("git") { Arguments = "clone --depth 1 " + url, RedirectStandardOutput = true };
                Process.Start(psi);
            }
        }
        """;

    private const string ArgumentsFixed = """
        using System.Diagnostics;
        public static class Git
        {
            public static void Clone(string url)
            {
                var psi = new ProcessStartInfo("git") { UseShellExecute = false, ArgumentList = { "clone", "--depth", "1", "--end-of-options", url }, RedirectStandardOutput = true };
                Process.Start(psi);
            }
        }
        """;

    private const string EnvironmentFixed = """
        using System.Diagnostics;
        public static class Git
        {
            public static void Clone(string url)
            {
                var psi = new ProcessStartInfo("git") { Arguments = "clone --depth 1 " + url, RedirectStandardOutput = true };
                // The child gets only these variables: the server's secrets stay in the server.
                psi.Environment.Clear();
                foreach (var name in new[] { "PATH", "HOME" })
                {
                    var variable = System.Environment.GetEnvironmentVariable(name);
                    if (variable != null)
                    {
                        psi.Environment[name] = variable;
                    }
                }
                Process.Start(psi);
            }
        }
        """;

    private const string BothFixed = """
        using System.Diagnostics;
        public static class Git
        {
            public static void Clone(string url)
            {
                var psi = new ProcessStartInfo("git") { UseShellExecute = false, ArgumentList = { "clone", "--depth", "1", "--end-of-options", url }, RedirectStandardOutput = true };
                // The child gets only these variables: the server's secrets stay in the server.
                psi.Environment.Clear();
                foreach (var name in new[] { "PATH", "HOME" })
                {
                    var variable = System.Environment.GetEnvironmentVariable(name);
                    if (variable != null)
                    {
                        psi.Environment[name] = variable;
                    }
                }
                Process.Start(psi);
            }
        }
        """;

    private static string Mark(string source, string text, string id)
        => source.Replace(text, "{|" + id + ":" + text + "|}", System.StringComparison.Ordinal);

    private static Task CommandLineFix(string source, string fixedSource)
        => CodeFixVerifier<Analyzers.ProcessExecution.ProcessStartAnalyzer, CommandLineCodeFix>.VerifyAsync(source, fixedSource, CommandLineCodeFix.EquivalenceKey);

    [Fact]
    public async Task Composes_with_the_command_line_fix_applied_first()
    {
        await CommandLineFix(Mark(BothFindings, "\"clone --depth 1 \" + url", "MCPSEC402"), ArgumentsFixed);
        await VerifyAsync(Mark(ArgumentsFixed, "new ProcessStartInfo(\"git\") { UseShellExecute = false, ArgumentList = { \"clone\", \"--depth\", \"1\", \"--end-of-options\", url }, RedirectStandardOutput = true }", "MCPSEC609"), BothFixed);
    }

    [Fact]
    public async Task Composes_with_the_command_line_fix_applied_second()
    {
        await VerifyAsync(Mark(BothFindings, "new ProcessStartInfo(\"git\") { Arguments = \"clone --depth 1 \" + url, RedirectStandardOutput = true }", "MCPSEC609"), EnvironmentFixed);
        await CommandLineFix(Mark(EnvironmentFixed, "\"clone --depth 1 \" + url", "MCPSEC402"), BothFixed);
    }
}
