using McpSecurity.Analyzers.McpSurface;
using McpSecurity.Analyzers.Tests.Shared;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.AnalyzerVerifier<McpSecurity.Analyzers.McpSurface.StdoutWriteAnalyzer>;

namespace McpSecurity.Analyzers.Tests.McpSurface;

/// <summary>MCPSEC604: standard output written by a stdio MCP server.</summary>
public class StdoutWriteAnalyzerTests
{
    /// <summary>A stdio server's Program.cs whose logging goes to standard error, as the SDK's samples write it.</summary>
    internal const string StdioProgram = """
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;

        public static class Program
        {
            public static async System.Threading.Tasks.Task Main(string[] args)
            {
                var builder = Host.CreateApplicationBuilder(args);
                builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
                builder.Services.AddMcpServer().WithStdioServerTransport().WithToolsFromAssembly();
                await builder.Build().RunAsync();
            }
        }
        """;

    private static Task VerifyAsync(string source, params string[] additionalSources)
        => Verify.VerifyAsync(source, [HostStubs.Stdio, .. additionalSources]);

    private static Task VerifyProgramAsync(string source)
    {
        var test = Verify.CreateTest(source, HostStubs.Stdio);
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        return test.RunAsync();
    }

    [Fact]
    public Task Flags_console_writes_in_tool_classes_of_a_stdio_server() => VerifyAsync("""
        using System;
        using System.IO;
        public static class WeatherTools
        {
            public static string GetForecast(string city)
            {
                {|MCPSEC604:Console.WriteLine|}($"Fetching forecast for {city}");
                {|MCPSEC604:Console.Write|}("...");
                {|MCPSEC604:System.Console.WriteLine|}();
                {|MCPSEC604:Console.Out|}.WriteLine("done");
                {|MCPSEC604:Console.Out|}.Write('x');
                using var stdout = {|MCPSEC604:Console.OpenStandardOutput|}();
                Dump({|MCPSEC604:Console.Out|});
                return "sunny";
            }

            private static void Dump(TextWriter writer) => writer.Flush();
        }
        """, StdioProgram);

    [Fact]
    public async Task Message_names_the_write_and_the_remedy()
    {
        var test = Verify.CreateTest("""
            public static class Tools
            {
                public static void Log(string message) => {|#0:System.Console.WriteLine|}(message);
            }
            """, HostStubs.Stdio, StdioProgram);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleCatalog.StdoutWrittenByStdioServer).WithLocation(0)
            .WithArguments("'Console.WriteLine' writes to standard output", "write to Console.Error instead"));
        await test.RunAsync();
    }

    [Fact]
    public Task Flags_writes_in_top_level_statements_lambdas_helpers_and_using_static() => VerifyProgramAsync("""
        using System;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;
        using static System.Console;

        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddMcpServer().WithStdioServerTransport();
        {|MCPSEC604:Console.WriteLine|}("Starting MCP server...");
        Action announce = () => {|MCPSEC604:WriteLine|}("ready");
        announce();
        await builder.Build().RunAsync();

        static partial class Helpers
        {
            internal static void Trace(string text) => {|MCPSEC604:Console.WriteLine|}(text);
        }
        """);

    [Fact]
    public Task Flags_writes_through_a_global_using_alias() => VerifyAsync("""
        public static class Tools
        {
            public static void Talk(string text) => {|MCPSEC604:Terminal.WriteLine|}(text);
        }
        """, "global using Terminal = System.Console;", StdioProgram);

    [Fact]
    public Task Flags_console_loggers_left_on_standard_output() => VerifyAsync("""
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;
        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = Host.CreateApplicationBuilder(args);
                builder.Logging.ClearProviders();
                builder.Logging.{|MCPSEC604:AddConsole|}();
                builder.Logging.{|MCPSEC604:AddSimpleConsole|}();
                builder.Services.AddMcpServer().WithStdioServerTransport();
            }
        }
        """);

    [Fact]
    public Task Flags_a_threshold_above_trace() => VerifyAsync("""
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;
        using Microsoft.Extensions.Logging.Console;
        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = Host.CreateApplicationBuilder(args);
                builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = {|MCPSEC604:LogLevel.Information|});
                builder.Services.Configure<ConsoleLoggerOptions>(o => { o.LogToStandardErrorThreshold = {|MCPSEC604:LogLevel.None|}; });
                builder.Services.AddMcpServer().WithStdioServerTransport();
            }
        }
        """);

    [Fact]
    public Task Flags_the_default_host_console_logger() => VerifyAsync("""
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        public static class Program
        {
            public static async System.Threading.Tasks.Task Main(string[] args)
            {
                var builder = Host.{|MCPSEC604:CreateApplicationBuilder|}(args);
                builder.Services.AddMcpServer().WithStdioServerTransport();
                await builder.Build().RunAsync();
            }
        }
        """);

    [Fact]
    public Task Flags_servers_that_create_the_stdio_transport_themselves() => VerifyAsync("""
        using System;
        using ModelContextProtocol.Server;
        public static class Servers
        {
            public static object LowLevel() => new StdioServerTransport("weather");

            public static void Talk() => {|MCPSEC604:Console.WriteLine|}("hello");
        }
        """);

    [Theory]
    [InlineData("services.AddMcpServer().WithStreamServerTransport(new System.IO.BufferedStream(Console.OpenStandardInput()), Console.OpenStandardOutput())")]
    [InlineData("new StreamServerTransport(Console.OpenStandardInput(), Console.OpenStandardOutput(), \"weather\")")]
    public Task Flags_servers_on_a_stream_transport_over_standard_output(string transport) => VerifyAsync($$"""
        using System;
        using Microsoft.Extensions.DependencyInjection;
        using ModelContextProtocol.Server;
        public static class Servers
        {
            public static object Start(IServiceCollection services) => {{transport}};

            public static void Talk() => {|MCPSEC604:Console.WriteLine|}("hello");
        }
        """);

    // ---- Traps ------------------------------------------------------------------------------------

    [Fact]
    public Task Ignores_standard_error_reads_flushes_and_saving_console_out() => VerifyAsync("""
        using System;
        using System.IO;
        public static class Tools
        {
            public static string Run()
            {
                Console.Error.WriteLine("to stderr");
                var line = Console.ReadLine();
                Console.Out.Flush();
                var original = Console.Out;
                var encoding = Console.Out.Encoding;
                try
                {
                    Console.SetOut(TextWriter.Null);
                    return line + encoding.WebName;
                }
                finally
                {
                    Console.SetOut(original);
                }
            }
        }
        """, StdioProgram);

    [Fact]
    public Task Ignores_the_stream_handed_to_the_stream_transport() => VerifyAsync("""
        using System;
        using Microsoft.Extensions.DependencyInjection;
        using ModelContextProtocol.Server;
        public static class Servers
        {
            public static void Streams(IServiceCollection services)
                => services.AddMcpServer().WithStreamServerTransport(Console.OpenStandardInput(), Console.OpenStandardOutput());

            public static object Direct() => new StreamServerTransport(Console.OpenStandardInput(), Console.OpenStandardOutput());
        }
        """);

    [Fact]
    public Task Ignores_writes_in_a_compilation_that_serves_http_only() => VerifyAsync("""
        using System;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = Host.CreateApplicationBuilder(args);
                builder.Services.AddMcpServer().WithHttpTransport();
                Console.WriteLine("Listening on http://localhost:5000");
            }
        }
        """);

    [Fact]
    public Task Ignores_writes_without_the_mcp_sdk() => Verify.VerifyAsync("""
        public static class Program
        {
            public static void Main() => System.Console.WriteLine("hello");
        }
        """);

    [Fact]
    public Task Ignores_command_line_actions_and_usage_branches_that_leave_the_program() => VerifyProgramAsync("""
        using System;
        using System.CommandLine;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;

        if (args.Length > 0 && args[0] == "--version")
        {
            Console.WriteLine("1.0.0");
            return 0;
        }

        if (args.Length > 0 && args[0] == "--help")
        {
            Console.WriteLine("usage: weather [--version]");
            Environment.Exit(0);
        }

        var list = new Command("list");
        list.SetAction(parse =>
        {
            foreach (var name in new[] { "a", "b" })
            {
                Console.WriteLine(name);
            }

            return 0;
        });

        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddMcpServer().WithStdioServerTransport();
        await builder.Build().RunAsync();
        return 0;

        sealed class VersionAction
        {
            public int Invoke(ParseResult parseResult)
            {
                Console.Out.WriteLine("1.0.0");
                return 0;
            }
        }

        // Seen in a real server: a custom help action renders the help in a helper of its own.
        sealed class HelpAction : System.CommandLine.Invocation.SynchronousCommandLineAction
        {
            public override int Invoke(ParseResult parseResult)
            {
                RenderAreas();
                return 0;
            }

            private static void RenderAreas()
            {
                Console.WriteLine("Usage: weather [command] [options]");
                Console.WriteLine("  server start");
            }
        }
        """);

    [Fact]
    public Task Ignores_writes_after_console_out_is_sent_to_standard_error_where_the_server_starts() => VerifyAsync("""
        using System;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;
        public static class Program
        {
            public static void Main(string[] args)
            {
                Console.SetOut(Console.Error);
                Start(args);
            }

            private static void Start(string[] args)
            {
                var builder = Host.CreateApplicationBuilder(args);
                builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                builder.Services.AddMcpServer().WithStdioServerTransport();
            }
        }

        public static class Tools
        {
            public static void Talk()
            {
                Console.WriteLine("now on stderr");
                Console.Out.WriteLine("so is this");
            }
        }
        """);

    [Fact]
    public Task Flags_writes_when_console_out_is_redirected_only_by_another_mode() => VerifyAsync("""
        using System;
        public static class WorkerMode
        {
            public static void Run(System.IO.Stream replies)
            {
                Console.SetOut(Console.Error);
                replies.WriteByte(1);
            }
        }

        public static class Tools
        {
            public static void Talk() => {|MCPSEC604:Console.WriteLine|}("still stdout when the server runs");
        }
        """, StdioProgram);

    [Fact]
    public Task Ignores_logging_configured_elsewhere_or_cleared() => VerifyAsync("""
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;
        using Microsoft.Extensions.Logging.Console;
        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = Host.CreateApplicationBuilder(args);
                builder.Logging.AddConsole();
                builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                builder.Services.AddMcpServer().WithStdioServerTransport();

                var quiet = Host.CreateApplicationBuilder(args);
                quiet.Logging.ClearProviders();
            }
        }
        """);

    // Seen in the SDK's TestServerWithHosting sample: Serilog replaces the logger factory, so the
    // default console provider of CreateApplicationBuilder never writes.
    [Fact]
    public Task Ignores_the_default_host_logger_when_serilog_replaces_the_logger_factory() => VerifyAsync("""
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Serilog;
        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = Host.CreateApplicationBuilder(args);
                builder.Services.AddSerilog();
                builder.Services.AddMcpServer().WithStdioServerTransport();
            }
        }
        """, SerilogStubs);

    [Fact]
    public Task Ignores_the_default_host_logger_when_an_unresolved_serilog_replaces_the_logger_factory()
    {
        var test = Verify.CreateTest("""
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;
            public static class Program
            {
                public static void Main(string[] args)
                {
                    var builder = Host.CreateApplicationBuilder(args);
                    builder.Services.{|CS1061:AddSerilog|}();
                    builder.Services.AddMcpServer().WithStdioServerTransport();
                }
            }
            """, HostStubs.Stdio);
        return test.RunAsync();
    }

    [Fact]
    public Task Flags_the_default_host_logger_when_serilog_is_only_added_as_a_provider() => VerifyAsync("""
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Serilog;
        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = Host.{|MCPSEC604:CreateApplicationBuilder|}(args);
                builder.Logging.AddSerilog();
                builder.Services.AddMcpServer().WithStdioServerTransport();
            }
        }
        """, SerilogStubs);

    private const string SerilogStubs = """
        namespace Serilog
        {
            public static class SerilogServiceCollectionExtensions
            {
                public static Microsoft.Extensions.DependencyInjection.IServiceCollection AddSerilog(this Microsoft.Extensions.DependencyInjection.IServiceCollection services) => services;
            }

            public static class SerilogLoggingBuilderExtensions
            {
                public static Microsoft.Extensions.Logging.ILoggingBuilder AddSerilog(this Microsoft.Extensions.Logging.ILoggingBuilder builder) => builder;
            }
        }
        """;

    [Fact]
    public Task Ignores_test_projects() => VerifyAsync("""
        namespace Xunit { public sealed class FactAttribute : System.Attribute { } }

        public class ServerTests
        {
            [Xunit.Fact]
            public void Prints() => System.Console.WriteLine("test output");
        }
        """, StdioProgram);

    [Fact]
    public Task Ignores_generated_code() => VerifyAsync("""
        // <auto-generated/>
        public static class Generated
        {
            public static void Print() => System.Console.WriteLine("generated");
        }
        """, StdioProgram);

    [Fact]
    public Task Does_not_throw_on_code_that_does_not_bind()
        => AnalyzerCrashCheck.NoExceptionsAsync(new StdoutWriteAnalyzer(), HostStubs.Stdio, """
            using System;
            public static class Broken
            {
                public static void M(Microsoft.Extensions.DependencyInjection.IServiceCollection s)
                {
                    s.AddMcpServer().WithStdioServerTransport(;
                    Console.WriteLine(Undefined);
                    Console.Out.WriteLine(;
                    Console.SetOut();
                    Console.OpenStandardOutput(1, 2, 3);
                    new Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions { LogToStandardErrorThreshold = Missing };
                }
            }
            """);
}
