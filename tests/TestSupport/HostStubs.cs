namespace McpSecurity.TestSupport;

/// <summary>
/// The hosting APIs the MCP host rules (MCPSEC602, MCPSEC604) match, declared in source with their
/// real metadata names: the SDK's transports and builder extensions, the generic host and
/// WebApplication builders, the console logger and its options, JwtBearer's options and
/// System.CommandLine's parse result. Rules match them by metadata name, and this keeps every test
/// from restoring ASP.NET Core and the SDK.
/// </summary>
public static class HostStubs
{
    public const string Stdio = """
        namespace Microsoft.Extensions.DependencyInjection
        {
            public interface IServiceCollection { }
            public interface IMcpServerBuilder { IServiceCollection Services { get; } }

            public static class McpServerServiceCollectionExtensions
            {
                public static IMcpServerBuilder AddMcpServer(this IServiceCollection services) => null!;
            }

            public static partial class McpServerBuilderExtensions
            {
                public static IMcpServerBuilder WithStdioServerTransport(this IMcpServerBuilder builder) => builder;
                public static IMcpServerBuilder WithStreamServerTransport(this IMcpServerBuilder builder, System.IO.Stream inputStream, System.IO.Stream outputStream) => builder;
                public static IMcpServerBuilder WithToolsFromAssembly(this IMcpServerBuilder builder) => builder;
            }

            public static class HttpMcpServerBuilderExtensions
            {
                public static IMcpServerBuilder WithHttpTransport(this IMcpServerBuilder builder) => builder;
            }
        }

        namespace ModelContextProtocol.Server
        {
            public sealed class StdioServerTransport
            {
                public StdioServerTransport(string serverName) { }
            }

            public sealed class StreamServerTransport
            {
                public StreamServerTransport(System.IO.Stream inputStream, System.IO.Stream outputStream, string? serverName = null) { }
            }
        }

        namespace Microsoft.Extensions.Hosting
        {
            public interface IHost { System.Threading.Tasks.Task RunAsync(); }
            public interface IHostBuilder { IHost Build(); }

            public sealed class HostApplicationBuilder
            {
                public Microsoft.Extensions.DependencyInjection.IServiceCollection Services { get; } = null!;
                public Microsoft.Extensions.Logging.ILoggingBuilder Logging { get; } = null!;
                public IHost Build() => null!;
            }

            public static class Host
            {
                public static HostApplicationBuilder CreateApplicationBuilder(string[]? args = null) => new();
                public static HostApplicationBuilder CreateEmptyApplicationBuilder(object? settings) => new();
                public static IHostBuilder CreateDefaultBuilder(string[]? args = null) => null!;
            }
        }

        namespace Microsoft.Extensions.Logging
        {
            public interface ILoggingBuilder { Microsoft.Extensions.DependencyInjection.IServiceCollection Services { get; } }

            public static class LoggingBuilderExtensions
            {
                public static ILoggingBuilder ClearProviders(this ILoggingBuilder builder) => builder;
            }

            public static class ConsoleLoggerExtensions
            {
                public static ILoggingBuilder AddConsole(this ILoggingBuilder builder) => builder;
                public static ILoggingBuilder AddConsole(this ILoggingBuilder builder, System.Action<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions> configure) => builder;
                public static ILoggingBuilder AddSimpleConsole(this ILoggingBuilder builder) => builder;
            }
        }

        namespace Microsoft.Extensions.Logging.Console
        {
            public class ConsoleLoggerOptions
            {
                public Microsoft.Extensions.Logging.LogLevel LogToStandardErrorThreshold { get; set; } = Microsoft.Extensions.Logging.LogLevel.None;
            }
        }

        namespace Microsoft.Extensions.DependencyInjection
        {
            public static class OptionsServiceCollectionExtensions
            {
                public static IServiceCollection Configure<TOptions>(this IServiceCollection services, System.Action<TOptions> configure) where TOptions : class => services;
            }
        }

        namespace System.CommandLine.Invocation
        {
            public abstract class CommandLineAction { }
            public abstract class SynchronousCommandLineAction : CommandLineAction
            {
                public abstract int Invoke(System.CommandLine.ParseResult parseResult);
            }
        }

        namespace System.CommandLine
        {
            public sealed class ParseResult { }

            public class Command
            {
                public Command(string name) { }
                public void SetAction(System.Func<ParseResult, int> action) { }
            }
        }
        """;

    public const string JwtBearer = """
        namespace Microsoft.AspNetCore.Authentication
        {
            public class AuthenticationBuilder { }
        }

        namespace Microsoft.AspNetCore.Authentication.JwtBearer
        {
            public class JwtBearerOptions
            {
                public string? Audience { get; set; }
                public string? Authority { get; set; }
                public Microsoft.IdentityModel.Tokens.TokenValidationParameters TokenValidationParameters { get; set; } = new();
            }
        }

        namespace Microsoft.Extensions.DependencyInjection
        {
            public interface IServiceCollection { }

            public static class JwtBearerExtensions
            {
                public static Microsoft.AspNetCore.Authentication.AuthenticationBuilder AddJwtBearer(
                    this Microsoft.AspNetCore.Authentication.AuthenticationBuilder builder,
                    System.Action<Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions> configure) => builder;
            }

            public static class OptionsServiceCollectionExtensions
            {
                public static IServiceCollection Configure<TOptions>(this IServiceCollection services, System.Action<TOptions> configure) where TOptions : class => services;
                public static IServiceCollection PostConfigure<TOptions>(this IServiceCollection services, System.Action<TOptions> configure) where TOptions : class => services;
            }
        }
        """;
}
