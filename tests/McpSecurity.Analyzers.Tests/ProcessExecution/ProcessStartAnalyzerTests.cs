using McpSecurity.Analyzers.ProcessExecution;
using McpSecurity.Analyzers.Tests.Shared;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.AnalyzerVerifier<McpSecurity.Analyzers.ProcessExecution.ProcessStartAnalyzer>;

namespace McpSecurity.Analyzers.Tests.ProcessExecution;

/// <summary>
/// MCPSEC401 (shell), 402 (command line from strings), 403 (shell execute) and 405 (executable
/// from MCP input): every start shape the issue lists, the escalations, and the traps.
/// </summary>
public class ProcessStartAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Diagnostics;
        using System.Linq;
        using ModelContextProtocol.Server;

        """;

    private static Task VerifyTools(string source, params DiagnosticResult[] expected)
        => VerifyTools(source, null, expected);

    private static Task VerifyTools(string source, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = Verify.CreateTest(Usings + source, McpServerStubs.Source);
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig + "\n"));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static DiagnosticResult Shell(int markup, DiagnosticSeverity severity = DiagnosticSeverity.Error)
        => new DiagnosticResult(RuleIdentifiers.CommandRunThroughShell, severity).WithLocation(markup);

    private static DiagnosticResult Built(int markup, DiagnosticSeverity severity = DiagnosticSeverity.Warning)
        => new DiagnosticResult(RuleIdentifiers.CommandLineBuiltFromStrings, severity).WithLocation(markup);

    private static DiagnosticResult ShellExecute(int markup)
        => new DiagnosticResult(RuleIdentifiers.ShellExecuteWithNonConstantTarget, DiagnosticSeverity.Error).WithLocation(markup);

    private static DiagnosticResult Executable(int markup)
        => new DiagnosticResult(RuleIdentifiers.ExecutableChosenByUntrustedInput, DiagnosticSeverity.Error).WithLocation(markup);

    // ---- MCPSEC401: Process.Start overloads --------------------------------------------------------

    [Fact]
    public Task Flags_bash_c_with_concatenated_input_in_Process_Start() => VerifyTools("""
        public static class Tools
        {
            public static void Run(string branch)
            {
                Process.Start("bash", {|#0:"-c \"git log " + branch + "\""|});
            }
        }
        """, Shell(0).WithMessageFormat(RuleCatalog.CommandRunThroughShell.MessageFormat).WithArguments("bash -c", "a command built from 'branch'"));

    [Fact]
    public Task Flags_shells_by_path_and_extension() => VerifyTools("""
        public static class Tools
        {
            public static void Run(string command)
            {
                Process.Start("/bin/sh", {|#0:$"-c \"{command}\""|});
                Process.Start(@"C:\Windows\System32\cmd.exe", {|#1:"/c " + command|});
                Process.Start("pwsh.exe", {|#2:"-NoProfile -Command " + command|});
                Process.Start("/usr/bin/zsh", {|#3:"-lc '" + command + "'"|});
            }
        }
        """, Shell(0), Shell(1), Shell(2), Shell(3));

    [Fact]
    public Task Flags_shell_started_with_an_argument_list_overload() => VerifyTools("""
        public static class Tools
        {
            public static void Run(string command)
            {
                Process.Start("bash", new[] { "-c", {|#0:command|} });
                Process.Start("sh", new List<string> { "-c", {|#1:"ls " + command|} });
            }
        }
        """, Shell(0), Shell(1));

    // ---- MCPSEC401: ProcessStartInfo constructor, initializer, later assignments -------------------

    [Fact]
    public Task Flags_ProcessStartInfo_constructor_and_initializer() => VerifyTools("""
        public static class Tools
        {
            public static void Run(string input)
            {
                var a = new ProcessStartInfo("bash", {|#0:"-c " + input|});
                var b = new ProcessStartInfo { FileName = "/bin/sh", Arguments = {|#1:$"-c \"{input}\""|} };
                var c = new ProcessStartInfo("cmd.exe") { Arguments = {|#2:"/c dir " + input|}, RedirectStandardOutput = true };
                Process.Start(a); Process.Start(b); Process.Start(c);
            }
        }
        """, Shell(0), Shell(1), Shell(2));

    [Fact]
    public Task Flags_later_assignments_on_the_same_instance() => VerifyTools("""
        public static class Tools
        {
            public static void Run(string input)
            {
                var psi = new ProcessStartInfo();
                psi.RedirectStandardOutput = true;
                psi.FileName = "bash";
                psi.Arguments = {|#0:"-c \"" + input + "\""|};
                using var process = new Process { StartInfo = psi };
                process.Start();

                var other = new Process();
                other.StartInfo.FileName = "powershell";
                other.StartInfo.Arguments = {|#1:"-Command " + input|};
                other.Start();
            }
        }
        """, Shell(0), Shell(1));

    [Fact]
    public Task Flags_shell_set_through_nested_StartInfo_initializer() => VerifyTools("""
        public static class Tools
        {
            public static Process Run(string input) => new Process
            {
                StartInfo = { FileName = "sh", Arguments = {|#0:"-c " + input|}, UseShellExecute = false },
            };
        }
        """, Shell(0));

    [Fact]
    public Task Flags_ArgumentList_c_followed_by_the_command() => VerifyTools("""
        public static class Tools
        {
            public static void Run(string command)
            {
                var psi = new ProcessStartInfo("bash") { UseShellExecute = false };
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add({|#0:command|});
                Process.Start(psi);

                var cmd = new ProcessStartInfo { FileName = "cmd.exe", ArgumentList = { "/c", {|#1:command|} } };
                Process.Start(cmd);
            }
        }
        """, Shell(0), Shell(1));

    [Fact]
    public Task Flags_env_launcher_and_interpreters() => VerifyTools("""
        public static class Tools
        {
            public static void Run(string code)
            {
                Process.Start("/usr/bin/env", {|#0:"bash -c \"" + code + "\""|});
                Process.Start("python3", {|#1:"-c \"" + code + "\""|});
                Process.Start("node", {|#2:"-e " + code|});
                Process.Start("perl", {|#3:"-e '" + code + "'"|});
                Process.Start("ruby", {|#4:$"-e \"{code}\""|});
                var env = new ProcessStartInfo("env");
                env.ArgumentList.Add("sh");
                env.ArgumentList.Add("-c");
                env.ArgumentList.Add({|#5:code|});
                Process.Start(env);
            }
        }
        """, Shell(0), Shell(1), Shell(2), Shell(3), Shell(4), Shell(5));

    [Fact]
    public Task Flags_the_guides_venv_wrapper_on_both_systems() => VerifyTools("""
        public static class CliWrapper
        {
            public static ProcessStartInfo Wrap(IReadOnlyList<string> command)
            {
                var joined = string.Join(" ", command.Select(a => "'" + a.Replace("'", "'\\''") + "'"));
                var psi = new ProcessStartInfo { UseShellExecute = false };
                if (OperatingSystem.IsWindows())
                {
                    psi.FileName = "cmd.exe";
                    psi.ArgumentList.Add("/c");
                    psi.ArgumentList.Add({|#0:".venv\\Scripts\\activate.bat && " + joined|});
                    return psi;
                }

                var unix = new ProcessStartInfo("bash") { UseShellExecute = false };
                unix.ArgumentList.Add("-c");
                unix.ArgumentList.Add({|#1:"source .venv/bin/activate && " + joined|});
                return unix;
            }
        }
        """, Shell(0), Shell(1));

    [Fact]
    public Task Flags_both_shells_when_one_instance_is_filled_in_branches() => VerifyTools("""
        public static class VenvShell
        {
            public static ProcessStartInfo Wrap(IReadOnlyList<string> command)
            {
                var psi = new ProcessStartInfo { UseShellExecute = false };
                if (OperatingSystem.IsWindows())
                {
                    psi.FileName = "cmd.exe";
                    psi.ArgumentList.Add("/c");
                    psi.ArgumentList.Add({|#0:"activate.bat && " + string.Join(" ", command)|});
                    return psi;
                }

                psi.FileName = "bash";
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add({|#1:"source .venv/bin/activate && " + string.Join(" ", command)|});
                return psi;
            }
        }
        """,
        Shell(0).WithMessageFormat(RuleCatalog.CommandRunThroughShell.MessageFormat).WithArguments("cmd /c", "a command built from 'string.Join(\" \", command)'"),
        Shell(1).WithMessageFormat(RuleCatalog.CommandRunThroughShell.MessageFormat).WithArguments("bash -c", "a command built from 'string.Join(\" \", command)'"));

    [Fact]
    public Task Flags_shell_options_before_the_command_flag() => VerifyTools("""
        public static class Tools
        {
            public static void Run(string command)
            {
                Process.Start("bash", {|#0:"-o pipefail -c \"" + command + "\""|});
                Process.Start("cmd.exe", {|#1:"/d /s /c \"" + command + "\""|});
                Process.Start("powershell.exe", {|#2:"-NoProfile -ExecutionPolicy Bypass -Command " + command|});
                Process.Start("pwsh", {|#3:"-EncodedCommand " + command|});
            }
        }
        """, Shell(0), Shell(1), Shell(2), Shell(3));

    [Fact]
    public Task Flags_os_dependent_shell_chosen_through_locals() => VerifyTools("""
        public static class Tools
        {
            public static void Run(string command)
            {
                var (shell, flag) = OperatingSystem.IsWindows() ? ("cmd.exe", "/c") : ("/bin/bash", "-c");
                var psi = new ProcessStartInfo { FileName = shell, Arguments = {|#0:$"{flag} \"{command}\""|} };
                Process.Start(psi);
            }
        }
        """, Shell(0));

    [Fact]
    public Task Hand_made_escaping_does_not_make_it_safe() => VerifyTools("""
        public static class Tools
        {
            public static void Run(string command)
            {
                var escaped = command.Replace("\"", "\\\"");
                Process.Start("bash", {|#0:$"-c \"{escaped}\""|});
            }
        }
        """, Shell(0));

    [Fact]
    public Task Constant_shell_command_is_reported_as_info() => VerifyTools("""
        public static class Tools
        {
            public static void Run()
            {
                Process.Start("bash", {|#0:"-c \"ls -la | wc -l\""|});
                var psi = new ProcessStartInfo("cmd.exe");
                psi.ArgumentList.Add("/c");
                psi.ArgumentList.Add({|#1:"dir"|});
                Process.Start(psi);
            }
        }
        """,
        Shell(0, DiagnosticSeverity.Info).WithMessageFormat(RuleCatalog.CommandRunThroughShell.MessageFormat).WithArguments("bash -c", "the constant command 'ls -la | wc -l'"),
        Shell(1, DiagnosticSeverity.Info));

    // ---- MCPSEC401 traps ----------------------------------------------------------------------------

    [Fact]
    public Task Ignores_c_flag_of_programs_that_are_not_shells() => VerifyTools("""
        public static class Tools
        {
            public static void Run(string config)
            {
                Process.Start("frpc", "-c config.ini");
                Process.Start("/usr/local/bin/frpc", {|#0:"-c " + config|});
                Process.Start("gcc", new[] { "-c", config });
            }
        }
        """, Built(0));

    [Fact]
    public Task Ignores_argument_list_for_programs_that_are_not_shells() => VerifyTools("""
        public static class Tools
        {
            public static void Run(string branch, string url)
            {
                var psi = new ProcessStartInfo("git") { UseShellExecute = false };
                psi.ArgumentList.Add("log");
                psi.ArgumentList.Add(branch);
                Process.Start(psi);
                Process.Start(new ProcessStartInfo { FileName = "git", ArgumentList = { "clone", "--", url } });
            }
        }
        """);

    [Fact]
    public Task Ignores_scripts_run_by_a_shell() => VerifyTools("""
        public static class Tools
        {
            public static void Run(string name)
            {
                var psi = new ProcessStartInfo("bash");
                psi.ArgumentList.Add("scripts/deploy.sh");
                psi.ArgumentList.Add(name);
                Process.Start(psi);
                var py = new ProcessStartInfo("python3");
                py.ArgumentList.Add("-m");
                py.ArgumentList.Add("pip");
                py.ArgumentList.Add(name);
                Process.Start(py);
            }
        }
        """);

    [Fact]
    public Task Script_run_by_a_shell_is_a_command_line_not_a_shell_command() => VerifyTools("""
        public static class Tools
        {
            public static void Run(string name)
            {
                Process.Start("bash", {|#0:"scripts/deploy.sh " + name|});
                Process.Start("powershell", {|#1:"-File build.ps1 -Target " + name|});
                Process.Start("python3", {|#2:"tool.py -c " + name|});
            }
        }
        """, Built(0), Built(1), Built(2));

    [Fact]
    public Task Ignores_constant_commands_without_a_shell() => VerifyTools("""
        public static class Tools
        {
            private const string Version = "--version";

            public static void Run()
            {
                Process.Start("git", "status --porcelain");
                Process.Start("dotnet", "build -c Release " + Version);
                new ProcessStartInfo("ls", $"-la {Version}");
            }
        }
        """);

    // ---- MCPSEC402 ------------------------------------------------------------------------------------

    [Fact]
    public Task Flags_arguments_built_from_strings_for_any_program() => VerifyTools("""
        public static class Tools
        {
            public static void Run(string url, string branch, string[] files)
            {
                var psi = new ProcessStartInfo("git") { Arguments = {|#0:"clone --depth 1 " + url|} };
                Process.Start(psi);
                Process.Start("git", {|#1:$"log {branch}"|});
                Process.Start("git", {|#2:string.Format("checkout {0}", branch)|});
                Process.Start("tar", {|#3:string.Join(" ", files)|});
            }
        }
        """,
        Built(0).WithMessageFormat(RuleCatalog.CommandLineBuiltFromStrings.MessageFormat).WithArguments("git", "'url'"),
        Built(1), Built(2), Built(3));

    [Fact]
    public Task Escalates_arguments_from_untrusted_MCP_input_to_error() => VerifyTools("""
        [McpServerToolType]
        public static class GitTools
        {
            [McpServerTool]
            public static void Clone(string url, int depth)
            {
                var args = {|#0:"clone --depth " + depth + " " + url|};
                Process.Start(new ProcessStartInfo("git", args));
                Process.Start("git", {|#1:"clone --depth " + depth|});
            }

            [McpServerTool]
            public static void Log(string branch) => Process.Start("git", {|#2:branch|});
        }
        """,
        Built(0, DiagnosticSeverity.Error).WithMessageFormat(RuleCatalog.CommandLineBuiltFromStrings.MessageFormat).WithArguments("git", "'url' (untrusted MCP input)"),
        Built(1),
        Built(2, DiagnosticSeverity.Error));

    // Found in a real MCP server (a 'dotnet' CLI wrapper): the tool builds the command line and a
    // helper in another class runs it, where 'Arguments = arguments' is all there is to see.
    [Fact]
    public Task Follows_a_command_line_into_the_helper_that_runs_it() => VerifyTools("""
        public static class DotNetExecutor
        {
            public static int Run(string arguments, bool verbose)
            {
                var psi = new ProcessStartInfo { FileName = "dotnet", Arguments = arguments, UseShellExecute = false };
                using var process = Process.Start(psi)!;
                return process.Id;
            }

            public static int RunWith(string program, string arguments)
                => Process.Start(new ProcessStartInfo(program, arguments))!.Id;
        }

        [McpServerToolType]
        public sealed class SecretTools
        {
            [McpServerTool]
            public int SecretsSet(string key, string value, string? project)
            {
                var args = new System.Text.StringBuilder("user-secrets set");
                args.Append($" \"{key}\" \"{value}\"");
                if (project is not null) args.Append($" --project \"{project}\"");
                return Execute({|#0:args.ToString()|});
            }

            [McpServerTool]
            public int Build(string configuration) => DotNetExecutor.Run({|#1:configuration|}, verbose: false);

            public int Restore(string source) => DotNetExecutor.RunWith("dotnet", {|#2:$"restore --source {source}"|});

            private static int Execute(string arguments) => DotNetExecutor.Run(arguments, verbose: true);
        }
        """,
        Built(0, DiagnosticSeverity.Error).WithMessageFormat(RuleCatalog.CommandLineBuiltFromStrings.MessageFormat)
            .WithArguments("dotnet", "'key' (untrusted MCP input), passed to 'SecretTools.Execute'"),
        Built(1, DiagnosticSeverity.Error).WithMessageFormat(RuleCatalog.CommandLineBuiltFromStrings.MessageFormat)
            .WithArguments("dotnet", "'configuration' (untrusted MCP input), passed to 'DotNetExecutor.Run'"),
        Built(2).WithMessageFormat(RuleCatalog.CommandLineBuiltFromStrings.MessageFormat)
            .WithArguments("program", "'source', passed to 'DotNetExecutor.RunWith'"));

    [Fact]
    public Task Ignores_strings_given_to_helpers_that_do_not_run_them_as_a_command_line() => VerifyTools("""
        public static class Helpers
        {
            public static void Log(string message) => Console.WriteLine(message);

            public static void RunFile(string file, string arguments)
                => Process.Start(new ProcessStartInfo(file) { ArgumentList = { arguments } });

            public static void Open(string target) => Process.Start(new ProcessStartInfo("xdg-open", "--") { ArgumentList = { target } });

            public static void Deep(string arguments) => Middle(arguments);

            private static void Middle(string arguments) => Last(arguments);

            private static void Last(string arguments) => Process.Start("git", arguments);
        }

        [McpServerToolType]
        public sealed class Tools
        {
            [McpServerTool]
            public void Run(string path, string name)
            {
                Helpers.Log("opening " + path);
                Helpers.RunFile("git", $"log {name}");
                Helpers.Open($"https://example.com/{name}");
                Helpers.RunFile($"/opt/{name}", "--version");
                Helpers.Deep($"log {name}");
            }
        }
        """);

    [Fact]
    public Task Shell_with_untrusted_input_names_the_source() => VerifyTools("""
        [McpServerToolType]
        public static class ShellTools
        {
            [McpServerTool]
            public static void Run(string command)
            {
                Process.Start("bash", {|#0:"-c \"" + command + "\""|});
            }
        }
        """, Shell(0).WithMessageFormat(RuleCatalog.CommandRunThroughShell.MessageFormat).WithArguments("bash -c", "a command built from 'command' (untrusted MCP input)"));

    // ---- MCPSEC403 --------------------------------------------------------------------------------------

    [Fact]
    public Task Flags_shell_execute_of_a_non_constant_target() => VerifyTools("""
        public static class Tools
        {
            public static void Open(string document)
            {
                Process.Start(new ProcessStartInfo(document) { UseShellExecute = {|#0:true|} });
                var psi = new ProcessStartInfo { FileName = "https://example.com/" + document };
                psi.UseShellExecute = {|#1:true|};
                Process.Start(psi);
            }
        }
        """,
        ShellExecute(0).WithMessageFormat(RuleCatalog.ShellExecuteWithNonConstantTarget.MessageFormat).WithArguments("document"),
        ShellExecute(1));

    [Fact]
    public Task Ignores_shell_execute_of_a_constant_url_or_file() => VerifyTools("""
        public static class Tools
        {
            private const string Docs = "https://example.com/docs";

            public static void Open()
            {
                Process.Start(new ProcessStartInfo("https://example.com") { UseShellExecute = true });
                Process.Start(new ProcessStartInfo { FileName = Docs, UseShellExecute = true });
                var psi = new ProcessStartInfo("report.pdf");
                psi.UseShellExecute = true;
                Process.Start(psi);
            }
        }
        """);

    // ---- MCPSEC405 --------------------------------------------------------------------------------------

    [Fact]
    public Task Flags_executable_chosen_by_a_tool_parameter() => VerifyTools("""
        [McpServerToolType]
        public static class CliTools
        {
            [McpServerTool(Name = "run_cli_program")]
            public static void RunCliProgram(string program, string[] arguments)
            {
                var psi = new ProcessStartInfo({|#0:program|}) { UseShellExecute = false };
                foreach (var argument in arguments) psi.ArgumentList.Add(argument);
                Process.Start(psi);
                Process.Start({|#1:"/usr/bin/" + program|});
            }
        }
        """,
        Executable(0).WithMessageFormat(RuleCatalog.ExecutableChosenByUntrustedInput.MessageFormat).WithArguments("program", "program"),
        Executable(1));

    [Fact]
    public Task Ignores_executable_checked_against_an_allow_list() => VerifyTools("""
        [McpServerToolType]
        public static class CliTools
        {
            private static readonly HashSet<string> Allowed = new() { "git", "ls" };
            private static readonly Dictionary<string, string> Paths = new() { ["git"] = "/usr/bin/git" };

            [McpServerTool]
            public static void Guarded(string program)
            {
                if (!Allowed.Contains(program))
                {
                    throw new ArgumentException("not allowed", nameof(program));
                }

                Process.Start(program);
            }

            [McpServerTool]
            public static void Around(string program)
            {
                if (Allowed.Contains(program)) Process.Start(program);
            }

            [McpServerTool]
            public static void Switch(string program)
            {
                switch (program)
                {
                    case "git":
                    case "ls":
                        Process.Start(program);
                        break;
                }
            }

            [McpServerTool]
            public static void Lookup(string program)
            {
                if (Paths.TryGetValue(program, out var path)) Process.Start(path);
                Process.Start(Paths[program]);
            }
        }
        """);

    [Fact]
    public Task Flags_executable_when_the_check_is_not_an_allow_list() => VerifyTools("""
        [McpServerToolType]
        public static class CliTools
        {
            [McpServerTool]
            public static void Run(string program)
            {
                if (program.Contains("/") || program.Length > 20) return;
                Process.Start({|#0:program|});
            }
        }
        """, Executable(0));

    [Fact]
    public Task Untrusted_sources_can_be_added_by_option() => VerifyTools("""
        namespace MyServer
        {
            public interface IMcpTool { void Execute(string program, string arguments); }

            public sealed class RunTool : IMcpTool
            {
                public void Execute(string program, string arguments)
                    => Process.Start({|#0:program|}, {|#1:arguments|});
            }
        }
        """,
        "mcpsec.untrusted_parameters = MyServer.IMcpTool.Execute",
        Executable(0),
        Built(1, DiagnosticSeverity.Error));

    // ---- Odd syntax -------------------------------------------------------------------------------------

    [Fact]
    public Task Flags_in_lambdas_local_functions_and_top_level_statements()
    {
        var test = Verify.CreateTest("""
            using System;
            using System.Diagnostics;

            var command = Console.ReadLine() ?? "";
            Process.Start("bash", {|#0:"-c " + command|});
            Run(command);
            Action<string> later = c => Process.Start("sh", {|#1:"-c " + c|});
            later(command);

            static void Run(string c)
            {
                var psi = new ProcessStartInfo("cmd.exe", {|#2:"/c " + c|});
                Process.Start(psi);
            }
            """);
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.AddRange(new[] { Shell(0), Shell(1), Shell(2) });
        return test.RunAsync();
    }

    [Fact]
    public Task Ignores_generated_code() => Verify.VerifyAsync("""
        // <auto-generated/>
        using System.Diagnostics;
        public static class Generated
        {
            public static void Run(string command)
            {
                Process.Start("bash", "-c " + command);
                Process.Start(new ProcessStartInfo(command) { UseShellExecute = true });
            }
        }
        """);

    [Fact]
    public async Task Survives_incomplete_code_without_crashing()
    {
        await AnalyzerCrashCheck.NoExceptionsAsync(new ProcessStartAnalyzer(), """
            using System.Diagnostics;
            class C
            {
                void M(string command)
                {
                    Process.Start("bash", "-c " + );
                    var psi = new ProcessStartInfo { FileName = , Arguments = $"-c {command" };
                    psi.ArgumentList.Add(;
                    new ProcessStartInfo("sh").ArgumentList.Add("-c")
                    Process.Start(psi
            """, """
            using System.Diagnostics;
            class D
            {
                ProcessStartInfo psi = new() { FileName = "bash", Arguments = "-c " + Missing() };
                void M() { psi.Arguments = string.Format("-c {0} {1}", 1); Process.Start("cmd", "/c " + undefined); }
            }
            """);
    }
}
