using McpSecurity.CodeFixes.McpSurface;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis;
using Verify = McpSecurity.TestSupport.CodeFixVerifier<
    McpSecurity.Analyzers.McpSurface.StdoutWriteAnalyzer,
    McpSecurity.CodeFixes.McpSurface.StdoutWriteCodeFix>;

namespace McpSecurity.CodeFixes.Tests.McpSurface;

/// <summary>MCPSEC604's fix: the write goes to standard error, console logging too.</summary>
public class StdoutWriteCodeFixTests
{
    private const string Key = StdoutWriteCodeFix.EquivalenceKey;

    private const string StdioProgram = """
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;

        public static class Program
        {
            public static async System.Threading.Tasks.Task Main(string[] args)
            {
                var builder = Host.CreateApplicationBuilder(args);
                builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
                builder.Services.AddMcpServer().WithStdioServerTransport();
                await builder.Build().RunAsync();
            }
        }
        """;

    [Fact]
    public Task Fix_all_sends_every_console_write_to_standard_error() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        public static class WeatherTools
        {
            public static string GetForecast(string city)
            {
                {|MCPSEC604:Console.WriteLine|}($"Fetching forecast for {city}");
                {|MCPSEC604:Console.Write|}("{0}...", city);
                {|MCPSEC604:System.Console.WriteLine|}();
                {|MCPSEC604:Console.Out|}.WriteLine("done");
                using var stream = {|MCPSEC604:Console.OpenStandardOutput|}();
                Dump({|MCPSEC604:Console.Out|});
                return "sunny";
            }

            private static void Dump(TextWriter writer) => writer.Flush();
        }
        """, """
        using System;
        using System.IO;
        public static class WeatherTools
        {
            public static string GetForecast(string city)
            {
                Console.Error.WriteLine($"Fetching forecast for {city}");
                Console.Error.Write("{0}...", city);
                System.Console.Error.WriteLine();
                Console.Error.WriteLine("done");
                using var stream = Console.OpenStandardError();
                Dump(Console.Error);
                return "sunny";
            }

            private static void Dump(TextWriter writer) => writer.Flush();
        }
        """, Key, HostStubs.Stdio, StdioProgram);

    [Fact]
    public Task Fix_all_lowers_every_threshold_to_trace() => Verify.VerifyAsync("""
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;
        using Microsoft.Extensions.Logging.Console;
        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = Host.CreateApplicationBuilder(args);
                builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = {|MCPSEC604:LogLevel.Information|});
                builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = {|MCPSEC604:LogLevel.Warning|});
                builder.Services.AddMcpServer().WithStdioServerTransport();
            }
        }
        """, """
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;
        using Microsoft.Extensions.Logging.Console;
        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = Host.CreateApplicationBuilder(args);
                builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
                builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                builder.Services.AddMcpServer().WithStdioServerTransport();
            }
        }
        """, Key, HostStubs.Stdio);

    [Fact]
    public Task Adds_a_console_logger_on_standard_error_after_the_default_host_builder()
    {
        var test = Verify.CreateTest("""
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            var builder = Host.{|MCPSEC604:CreateApplicationBuilder|}(args);
            builder.Services.AddMcpServer().WithStdioServerTransport();
            await builder.Build().RunAsync();
            """, """
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;
            using Microsoft.Extensions.Logging;

            var builder = Host.CreateApplicationBuilder(args);
            builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Services.AddMcpServer().WithStdioServerTransport();
            await builder.Build().RunAsync();
            """, Key, HostStubs.Stdio);
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        return test.RunAsync();
    }

    [Fact]
    public Task Fix_all_sends_a_bare_console_logger_and_the_writes_next_to_it_to_standard_error() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;
        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = Host.CreateApplicationBuilder(args);
                builder.Logging.ClearProviders().{|MCPSEC604:AddConsole|}();
                builder.Services.AddMcpServer().WithStdioServerTransport();
                {|MCPSEC604:Console.WriteLine|}("starting");
            }
        }
        """, """
        using System;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;
        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = Host.CreateApplicationBuilder(args);
                builder.Logging.ClearProviders().AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
                builder.Services.AddMcpServer().WithStdioServerTransport();
                Console.Error.WriteLine("starting");
            }
        }
        """, Key, HostStubs.Stdio);

    [Fact]
    public Task Names_the_lambda_parameter_so_it_does_not_clash_with_a_local() => Verify.VerifyAsync("""
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;
        public static class Program
        {
            public static void Main(string[] args)
            {
                var options = args;
                var builder = Host.CreateApplicationBuilder(options);
                builder.Logging.{|MCPSEC604:AddConsole|}();
                builder.Services.AddMcpServer().WithStdioServerTransport();
            }
        }
        """, """
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;
        public static class Program
        {
            public static void Main(string[] args)
            {
                var options = args;
                var builder = Host.CreateApplicationBuilder(options);
                builder.Logging.AddConsole(consoleOptions => consoleOptions.LogToStandardErrorThreshold = LogLevel.Trace);
                builder.Services.AddMcpServer().WithStdioServerTransport();
            }
        }
        """, Key, HostStubs.Stdio);

    [Fact]
    public Task Offers_no_fix_under_using_static_console()
    {
        const string Source = """
            using static System.Console;
            public static class Tools
            {
                public static void Talk() => {|MCPSEC604:WriteLine|}("hi");
            }
            """;
        return Verify.VerifyAsync(Source, Source, Key, HostStubs.Stdio, StdioProgram);
    }
}
