using McpSecurity.Analyzers.McpSurface;
using McpSecurity.Analyzers.Tests.Shared;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis;
using Verify = McpSecurity.TestSupport.AnalyzerVerifier<McpSecurity.Analyzers.McpSurface.ChildEnvironmentAnalyzer>;

namespace McpSecurity.Analyzers.Tests.McpSurface;

/// <summary>MCPSEC609: processes an MCP server starts with its whole environment, and the ways of pruning it that are accepted.</summary>
public class ChildEnvironmentAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Diagnostics;
        using ModelContextProtocol.Server;

        """;

    /// <summary>What makes the compilation an MCP server: a declared tool.</summary>
    private const string ServerTools = """
        [ModelContextProtocol.Server.McpServerToolType]
        public static class PingTools
        {
            [ModelContextProtocol.Server.McpServerTool]
            public static string Ping() => "pong";
        }
        """;

    private static Task VerifyServer(string source, params string[] additionalSources)
    {
        var test = Verify.CreateTest(Usings + source, McpServerStubs.Source, ServerTools);
        foreach (var additional in additionalSources)
        {
            test.TestState.Sources.Add(additional);
        }

        return test.RunAsync();
    }

    [Fact]
    public Task Flags_a_start_info_created_in_a_tool_and_started_unpruned() => VerifyServer("""
        [McpServerToolType]
        public static class GitTools
        {
            [McpServerTool]
            public static string Status()
            {
                var startInfo = {|MCPSEC609:new ProcessStartInfo("git")|};
                startInfo.ArgumentList.Add("status");
                using var process = Process.Start(startInfo)!;
                return process.StandardOutput.ReadToEnd();
            }
        }
        """);

    [Fact]
    public Task Flags_a_start_info_built_by_a_helper_of_an_MCP_server() => VerifyServer("""
        public static class ProcessRunner
        {
            public static ProcessStartInfo Create(string program) => {|MCPSEC609:new ProcessStartInfo(program) { UseShellExecute = false }|};

            public static void Run(string program)
            {
                using var process = new Process { StartInfo = {|MCPSEC609:new ProcessStartInfo { FileName = program }|} };
                process.Start();
            }
        }
        """);

    [Fact]
    public Task Flags_Process_Start_with_a_file_name_which_has_no_start_info_to_prune() => VerifyServer("""
        public static class Tools
        {
            [McpServerTool]
            public static void Open(string folder)
            {
                {|MCPSEC609:Process.Start("git", "status")|};
                {|MCPSEC609:Process.Start("ls", new[] { "-la", folder })|};
            }
        }
        """);

    [Fact]
    public Task Flags_the_own_start_info_of_a_new_Process() => VerifyServer("""
        public static class Tools
        {
            [McpServerTool]
            public static void Build()
            {
                using var process = {|MCPSEC609:new Process()|};
                process.StartInfo.FileName = "dotnet";
                process.StartInfo.ArgumentList.Add("build");
                process.Start();
            }
        }
        """);

    [Fact]
    public Task Flags_a_start_info_that_only_adds_variables() => VerifyServer("""
        public static class Tools
        {
            [McpServerTool]
            public static void Build(string configuration)
            {
                var startInfo = {|MCPSEC609:new ProcessStartInfo("dotnet")|};
                startInfo.Environment["Configuration"] = configuration;
                startInfo.EnvironmentVariables.Add("CI", "true");
                Process.Start(startInfo);
            }
        }
        """);

    [Fact]
    public Task Flags_a_start_info_handed_to_a_helper_that_does_not_prune() => VerifyServer("""
        public static class Tools
        {
            [McpServerTool]
            public static void Build()
            {
                var startInfo = {|MCPSEC609:new ProcessStartInfo("dotnet")|};
                Redirect(startInfo);
                Process.Start(startInfo);
            }

            private static void Redirect(ProcessStartInfo startInfo) => startInfo.RedirectStandardOutput = true;
        }
        """);

    [Fact]
    public Task Flags_in_top_level_statements()
    {
        var test = Verify.CreateTest(Usings + """
            using var process = {|MCPSEC609:Process.Start("git", "fetch")|};
            """, McpServerStubs.Source, ServerTools);
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        return test.RunAsync();
    }

    [Fact]
    public Task Flags_through_aliases_expression_bodies_and_partial_classes() => VerifyServer("""
        using Psi = System.Diagnostics.ProcessStartInfo;

        public static partial class Tools
        {
            public static Process? Build() => Process.Start({|MCPSEC609:new Psi("dotnet", "build")|});
        }

        public static partial class Tools
        {
            public static Process? Test()
            {
                Psi startInfo = {|MCPSEC609:new()|};
                startInfo.FileName = "dotnet";
                return Process.Start(startInfo);
            }
        }
        """);

    [Fact]
    public Task Ignores_a_cleared_environment() => VerifyServer("""
        public static class Tools
        {
            [McpServerTool]
            public static void Build()
            {
                var startInfo = new ProcessStartInfo("dotnet") { UseShellExecute = false };
                startInfo.Environment.Clear();
                startInfo.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
                Process.Start(startInfo);

                var legacy = new ProcessStartInfo("git");
                legacy.EnvironmentVariables.Clear();
                Process.Start(legacy);

                using var process = new Process();
                process.StartInfo.FileName = "ls";
                process.StartInfo.Environment.Clear();
                process.Start();
            }
        }
        """);

    [Fact]
    public Task Ignores_an_environment_pruned_of_named_secrets() => VerifyServer("""
        public static class Tools
        {
            [McpServerTool]
            public static void Restore()
            {
                var startInfo = new ProcessStartInfo("dotnet");
                startInfo.Environment.Remove("SECRET_KEY");
                Process.Start(startInfo);
                var other = new ProcessStartInfo("git");
                other.EnvironmentVariables.Remove("GITHUB_TOKEN");
                Process.Start(other);
            }
        }
        """);

    [Fact]
    public Task Ignores_a_start_info_handed_to_a_helper_that_builds_an_allow_list() => VerifyServer("""
        public static class Tools
        {
            [McpServerTool]
            public static void Build()
            {
                var startInfo = new ProcessStartInfo("dotnet");
                ChildEnvironment.Apply(startInfo);
                Process.Start(startInfo);
                var other = new ProcessStartInfo("git");
                other.WithCleanEnvironment();
                Process.Start(other);
            }
        }

        public static class ChildEnvironment
        {
            public static void Apply(ProcessStartInfo info)
            {
                info.Environment.Clear();
                info.Environment["PATH"] = "/usr/bin:/bin";
            }

            public static ProcessStartInfo WithCleanEnvironment(this ProcessStartInfo info)
            {
                info.EnvironmentVariables.Clear();
                return info;
            }
        }
        """);

    [Fact]
    public Task Ignores_start_infos_made_elsewhere() => VerifyServer("""
        public static class Runner
        {
            public static void Run(ProcessStartInfo startInfo)
            {
                Process.Start(startInfo);
                using var process = new Process { StartInfo = startInfo };
                process.Start();
                using var other = new Process();
                other.StartInfo = Make();
                other.Start();
            }

            private static ProcessStartInfo Make()
            {
                var made = new ProcessStartInfo("git");
                made.Environment.Clear();
                return made;
            }
        }
        """);

    [Fact]
    public Task Ignores_code_that_is_not_an_MCP_server() => Verify.VerifyAsync("""
        using System.Diagnostics;

        public static class Build
        {
            public static void Run() => Process.Start(new ProcessStartInfo("dotnet", "build"));
        }
        """);

    // Found on public MCP code: clients, demo launchers and end-to-end fixtures reference the SDK, whose
    // assembly holds the server attributes too; their children inherit a developer's environment, not a server's.
    [Fact]
    public Task Ignores_a_client_that_references_the_SDK_but_declares_no_tool() => Verify.VerifyAsync(Usings + """
        public static class Program
        {
            public static void OpenBrowser(string url) => Process.Start(new ProcessStartInfo(url) { UseShellExecute = true });

            public static Process? StartServer() => Process.Start("dotnet", "run --project ../Server");
        }
        """, McpServerStubs.Source);

    [Fact]
    public async Task Counts_entry_points_named_by_option_as_an_MCP_server()
    {
        var test = Verify.CreateTest(Usings + """
            namespace MyServer
            {
                public interface IMcpTool { string Execute(string arguments); }

                public sealed class GitTool : IMcpTool
                {
                    public string Execute(string arguments)
                    {
                        using var process = {|MCPSEC609:Process.Start("git", "status")|};
                        return process.StandardOutput.ReadToEnd();
                    }
                }
            }
            """, McpServerStubs.Source);
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nmcpsec.untrusted_parameters = MyServer.IMcpTool.Execute(arguments)\n"));
        await test.RunAsync();
    }

    [Fact]
    public Task Ignores_generated_code() => VerifyServer(string.Empty, """
        // <auto-generated/>
        using System.Diagnostics;

        public static class Generated
        {
            public static void Run() => Process.Start("git", "status");
        }
        """);

    [Fact]
    public Task Counts_a_custom_tool_attribute_as_an_MCP_server()
    {
        var test = Verify.CreateTest("""
            using System.Diagnostics;

            namespace MyServer { public sealed class ToolAttribute : System.Attribute { } }

            public static class Build
            {
                [MyServer.Tool]
                public static void Run() => {|MCPSEC609:Process.Start("git", "status")|};
            }
            """);
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nmcpsec.tool_attributes = MyServer.ToolAttribute\n"));
        return test.RunAsync();
    }

    [Fact]
    public async Task Does_not_throw_on_code_that_does_not_compile()
    {
        await AnalyzerCrashCheck.NoExceptionsAsync(new ChildEnvironmentAnalyzer(), """
            using System.Diagnostics;
            namespace ModelContextProtocol.Server { public sealed class McpServerToolAttribute : System.Attribute { } }
            class C
            {
                void M(Missing info)
                {
                    var psi = new ProcessStartInfo(;
                    psi.Environment.Clear(
                    new Process { StartInfo = info }.Start();
                    Helper(psi, );
                    Process.Start(
            """);
    }
}
