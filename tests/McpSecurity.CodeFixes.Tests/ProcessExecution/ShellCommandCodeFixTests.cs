using McpSecurity.CodeFixes.ProcessExecution;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.CodeFixVerifier<
    McpSecurity.Analyzers.ProcessExecution.ProcessStartAnalyzer,
    McpSecurity.CodeFixes.ProcessExecution.ShellCommandCodeFix>;

namespace McpSecurity.CodeFixes.Tests.ProcessExecution;

/// <summary>MCPSEC401's rewrite: the shell's command becomes the program, its words ArgumentList items.</summary>
public class ShellCommandCodeFixTests
{
    private const string Key = ShellCommandCodeFix.EquivalenceKey;

    private static Task NoFix(string source) => Verify.VerifyAsync(source, source, Key);

    /// <summary>The fixed code keeps the diagnostics whose fix is refused, marked up as in the source.</summary>
    private static Task VerifyLeavingRefused(string source, string fixedSource)
    {
        var test = Verify.CreateTest(source, fixedSource, Key);
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        return test.RunAsync();
    }

    private static Task VerifyProgram(string source, string fixedSource)
    {
        var test = Verify.CreateTest(source, fixedSource, Key);
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        test.FixedState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        return test.RunAsync();
    }

    // ---- The examples ------------------------------------------------------------------------

    [Fact]
    public Task Bash_c_git_log_becomes_git_with_its_arguments() => Verify.VerifyAsync("""
        using System.Diagnostics;
        public static class Git
        {
            public static void Log(string branch)
            {
                Process.Start("bash", {|MCPSEC401:"-c \"git log " + branch + "\""|});
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
                    ArgumentList = { "log", "--end-of-options", branch },
                });
            }
        }
        """, Key);

    [Fact]
    public Task Quoted_command_followed_by_the_value_is_one_word_too() => Verify.VerifyAsync("""
        #nullable enable
        using System.Diagnostics;
        public static class Git
        {
            public static Process Log(string branch)
            {
                var process = Process.Start("bash", {|MCPSEC401:"-c \"git log \"" + branch|});
                return process;
            }
        }
        """, """
        #nullable enable
        using System.Diagnostics;
        public static class Git
        {
            public static Process Log(string branch)
            {
                var process = Process.Start(new ProcessStartInfo
                {
                    FileName = "git",
                    UseShellExecute = false,
                    ArgumentList = { "log", "--end-of-options", branch },
                })!;
                return process;
            }
        }
        """, Key);

    [Fact]
    public Task Interpolated_ls_la_becomes_ls_with_the_directory_as_one_argument() => Verify.VerifyAsync("""
        using System.Diagnostics;
        public static class Files
        {
            public static ProcessStartInfo List(string dir)
                => new ProcessStartInfo("/bin/sh", {|MCPSEC401:$"-c \"ls -la {dir}\""|}) { RedirectStandardOutput = true };
        }
        """, """
        using System.Diagnostics;
        public static class Files
        {
            public static ProcessStartInfo List(string dir)
                => new ProcessStartInfo("ls") { RedirectStandardOutput = true, UseShellExecute = false, ArgumentList = { "-la", dir } };
        }
        """, Key);

    [Fact]
    public Task Cmd_c_with_a_program_becomes_the_program() => Verify.VerifyAsync("""
        using System.Diagnostics;
        public static class Network
        {
            public static void Ping(string host)
            {
                var psi = new ProcessStartInfo { FileName = "cmd.exe", Arguments = {|MCPSEC401:"/c ping -n 1 " + host|} };
                Process.Start(psi);
            }
        }
        """, """
        using System.Diagnostics;
        public static class Network
        {
            public static void Ping(string host)
            {
                var psi = new ProcessStartInfo { FileName = "ping", UseShellExecute = false, ArgumentList = { "-n", "1", host } };
                Process.Start(psi);
            }
        }
        """, Key);

    [Fact]
    public Task No_fix_for_cmd_c_dir_because_dir_is_part_of_cmd() => NoFix("""
        using System.Diagnostics;
        public static class Files
        {
            public static void List(string path)
            {
                Process.Start("cmd.exe", {|MCPSEC401:"/c dir " + path|});
            }
        }
        """);

    [Fact]
    public Task No_fix_for_a_pipeline() => NoFix("""
        using System.Diagnostics;
        public static class Search
        {
            public static void Grep(string x)
            {
                Process.Start("bash", {|MCPSEC401:"-c \"cat a | grep " + x + "\""|});
            }
        }
        """);

    // ---- Other start shapes ------------------------------------------------------------------------

    [Fact]
    public Task Later_assignments_become_argument_list_statements() => Verify.VerifyAsync("""
        using System.Diagnostics;
        public static class Git
        {
            public static void Status(string path)
            {
                var psi = new ProcessStartInfo();
                psi.RedirectStandardOutput = true;
                psi.FileName = "/bin/bash";
                // the shell runs the command
                psi.Arguments = {|MCPSEC401:"-c \"git status --short " + path + "\""|};
                Process.Start(psi);
            }
        }
        """, """
        using System.Diagnostics;
        public static class Git
        {
            public static void Status(string path)
            {
                var psi = new ProcessStartInfo();
                psi.RedirectStandardOutput = true;
                psi.FileName = "git";
                // the shell runs the command
                psi.UseShellExecute = false;
                psi.ArgumentList.Add("status");
                psi.ArgumentList.Add("--short");
                psi.ArgumentList.Add(path);
                Process.Start(psi);
            }
        }
        """, Key);

    [Fact]
    public Task ArgumentList_c_and_command_become_the_programs_arguments() => Verify.VerifyAsync("""
        using System.Diagnostics;
        public static class Git
        {
            public static void Log(string branch)
            {
                var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true };
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add({|MCPSEC401:"git log --oneline " + branch|});
                Process.Start(psi);
            }
        }
        """, """
        using System.Diagnostics;
        public static class Git
        {
            public static void Log(string branch)
            {
                var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true };
                psi.UseShellExecute = false;
                psi.ArgumentList.Add("log");
                psi.ArgumentList.Add("--oneline");
                psi.ArgumentList.Add(branch);
                Process.Start(psi);
            }
        }
        """, Key);

    [Fact]
    public Task ArgumentList_initializer_through_env_is_rewritten_in_place() => Verify.VerifyAsync("""
        using System.Diagnostics;
        public static class Search
        {
            public static ProcessStartInfo Grep(string pattern) => new ProcessStartInfo
            {
                FileName = "/usr/bin/env",
                ArgumentList = { "sh", "-c", {|MCPSEC401:$"grep -rn -- '{pattern}' src"|} },
                RedirectStandardOutput = true,
            };
        }
        """, """
        using System.Diagnostics;
        public static class Search
        {
            public static ProcessStartInfo Grep(string pattern) => new ProcessStartInfo
            {
                FileName = "grep",
                UseShellExecute = false,
                ArgumentList = { "-rn", "--", pattern, "src" },
                RedirectStandardOutput = true,
            };
        }
        """, Key);

    [Fact]
    public Task Constant_text_joined_to_a_hole_stays_one_argument() => Verify.VerifyAsync("""
        using System.Diagnostics;
        public static class Git
        {
            public static void Log(string author, int count)
            {
                Process.Start("sh", {|MCPSEC401:"-c \"git log --author=" + author + " -n " + count + "\""|});
            }
        }
        """, """
        using System.Diagnostics;
        public static class Git
        {
            public static void Log(string author, int count)
            {
                Process.Start(new ProcessStartInfo
                {
                    FileName = "git",
                    UseShellExecute = false,
                    ArgumentList = { "log", $"--author={author}", "-n", $"{count}" },
                });
            }
        }
        """, Key);

    [Fact]
    public Task Shell_execute_is_turned_off() => Verify.VerifyAsync("""
        using System.Diagnostics;
        public static class Files
        {
            public static void Show(string file)
            {
                var psi = new ProcessStartInfo("bash", {|MCPSEC401:"-c \"cat " + file + "\""|}) { UseShellExecute = true };
                Process.Start(psi);
            }
        }
        """, """
        using System.Diagnostics;
        public static class Files
        {
            public static void Show(string file)
            {
                var psi = new ProcessStartInfo("cat") { UseShellExecute = false, ArgumentList = { "--", file } };
                Process.Start(psi);
            }
        }
        """, Key);

    [Fact]
    public Task Top_level_statements_are_rewritten() => VerifyProgram("""
        using System;
        using System.Diagnostics;

        var dir = Console.ReadLine() ?? ".";
        var psi = new ProcessStartInfo { FileName = "sh" };
        psi.Arguments = {|MCPSEC401:"-c \"du -sh " + dir + "\""|};
        Process.Start(psi);
        """, """
        using System;
        using System.Diagnostics;

        var dir = Console.ReadLine() ?? ".";
        var psi = new ProcessStartInfo { FileName = "du" };
        psi.UseShellExecute = false;
        psi.ArgumentList.Add("-sh");
        psi.ArgumentList.Add(dir);
        Process.Start(psi);
        """);

    // ---- Refused: the command is more than a program and its arguments ----------------------------------

    [Fact]
    public Task No_fix_for_the_guides_venv_wrapper() => NoFix("""
        using System.Collections.Generic;
        using System.Diagnostics;
        public static class Wrapper
        {
            public static void Run(IEnumerable<string> command)
            {
                var psi = new ProcessStartInfo("bash");
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add({|MCPSEC401:"source .venv/bin/activate && " + string.Join(" ", command)|});
                Process.Start(psi);
            }
        }
        """);

    [Fact]
    public Task No_fix_for_expansions_redirections_globs_and_builtins() => NoFix("""
        using System.Diagnostics;
        public static class Shell
        {
            public static void Run(string x)
            {
                Process.Start("bash", {|MCPSEC401:"-c \"echo $(whoami) " + x + "\""|});
                Process.Start("bash", {|MCPSEC401:"-c \"ls " + x + " > out.txt\""|});
                Process.Start("bash", {|MCPSEC401:"-c \"rm -f *.tmp " + x + "\""|});
                Process.Start("bash", {|MCPSEC401:"-c \"cd " + x + "\""|});
                Process.Start("bash", {|MCPSEC401:"-c \"source " + x + "\""|});
                Process.Start("bash", {|MCPSEC401:"-c \"FOO=1 make " + x + "\""|});
                Process.Start("bash", {|MCPSEC401:"-c \"git log \\\"" + x + "\""|});
            }
        }
        """);

    [Fact]
    public Task No_fix_for_powershell_interpreters_or_cmd_quoting() => NoFix("""
        using System.Diagnostics;
        public static class Shell
        {
            public static void Run(string x)
            {
                Process.Start("powershell", {|MCPSEC401:"-Command Get-ChildItem " + x|});
                Process.Start("python3", {|MCPSEC401:"-c \"print(" + x + ")\""|});
                Process.Start("cmd.exe", {|MCPSEC401:"/c \"git log " + x + "\""|});
                Process.Start("cmd.exe", {|MCPSEC401:"/c npm install " + x|});
                Process.Start("cmd.exe", {|MCPSEC401:"/c git log " + x + " %PATH%"|});
            }
        }
        """);

    [Fact]
    public Task No_fix_when_the_shell_or_command_is_chosen_elsewhere() => NoFix("""
        using System;
        using System.Diagnostics;
        public static class Shell
        {
            public static void Run(string x)
            {
                var shell = OperatingSystem.IsWindows() ? "cmd.exe" : "bash";
                Process.Start(shell, {|MCPSEC401:"-c \"git log " + x + "\""|});

                var arguments = {|MCPSEC401:"-c \"git log " + x + "\""|};
                Process.Start("bash", arguments);

                Process.Start("bash", {|MCPSEC401:$"-c \"git log {x,10}\""|});
                Process.Start("bash", {|MCPSEC401:"-c \"git log " + x + " " + string.Join(" ", new[] { x }) + "\""|});
            }
        }
        """);

    // ---- Fix All -----------------------------------------------------------------------------------------

    [Fact]
    public Task Fix_all_rewrites_each_start_and_leaves_the_refused_ones() => VerifyLeavingRefused("""
        #nullable enable
        using System;
        using System.Diagnostics;
        public static class Tools
        {
            public static int Run(string branch, string dir, string host, string x)
            {
                using var log = Process.Start("bash", {|MCPSEC401:"-c \"git log " + branch + "\""|});
                var list = new ProcessStartInfo("/bin/sh", {|MCPSEC401:$"-c \"ls -la {dir}\""|});
                var ping = new ProcessStartInfo { FileName = "cmd.exe", Arguments = {|MCPSEC401:"/c ping -n 1 " + host|} };
                var pipe = new ProcessStartInfo("bash", {|MCPSEC401:"-c \"cat a | grep " + x + "\""|});
                Action later = () => Process.Start("sh", {|MCPSEC401:"-c \"wc -l " + x + "\""|});
                later();
                using var listing = Process.Start(list)!;
                listing.WaitForExit(1000);
                return log.Id + ping.ArgumentList.Count + pipe.Arguments.Length;
            }
        }
        """, """
        #nullable enable
        using System;
        using System.Diagnostics;
        public static class Tools
        {
            public static int Run(string branch, string dir, string host, string x)
            {
                using var log = Process.Start(new ProcessStartInfo
                {
                    FileName = "git",
                    UseShellExecute = false,
                    ArgumentList = { "log", "--end-of-options", branch },
                })!;
                var list = new ProcessStartInfo("ls") { UseShellExecute = false, ArgumentList = { "-la", dir } };
                var ping = new ProcessStartInfo { FileName = "ping", UseShellExecute = false, ArgumentList = { "-n", "1", host } };
                var pipe = new ProcessStartInfo("bash", {|MCPSEC401:"-c \"cat a | grep " + x + "\""|});
                Action later = () => Process.Start(new ProcessStartInfo
                {
                    FileName = "wc",
                    UseShellExecute = false,
                    ArgumentList = { "-l", x },
                });
                later();
                using var listing = Process.Start(list)!;
                listing.WaitForExit(1000);
                return log.Id + ping.ArgumentList.Count + pipe.Arguments.Length;
            }
        }
        """);
}
