using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis.Testing;

namespace McpSecurity.Analyzers.Tests.DataExposure;

/// <summary>What a skeptical reviewer tries: broken code, handler-based APIs, configuration reads, per-file options.</summary>
public partial class DataExposureAnalyzerTests
{
    [Fact]
    public async Task Still_reports_in_a_file_with_unrelated_compile_errors()
    {
        var test = CreateTest("""
            public class Tools(ILogger<Tools> logger)
            {
                [McpServerTool]
                public string Run(string input, Undefined thing)
                {
                    var broken = thing.Missing();
                    logger.LogInformation("input {Input}", {|MCPSEC501:input|});
                    return broken;
                }
            }
            """);
        test.CompilerDiagnostics = CompilerDiagnostics.None;
        await test.RunAsync();
    }

    [Fact]
    public Task Flags_interpolated_string_handler_overloads() => Verify("""
        public class Tools
        {
            [McpServerTool]
            public void Run(string input, bool verbose)
            {
                Debug.WriteLineIf(verbose, $"input {{|MCPSEC501:input|}}");
                Debug.Assert(input.Length < 100, $"too long: {{|MCPSEC501:input|}}");
                var builder = new StringBuilder();
                builder.Append($"input {input}");
                Trace.WriteLine({|MCPSEC501:builder.ToString()|});
            }
        }
        """);

    [Fact]
    public async Task Flags_configuration_reads_under_secret_keys_and_authentication_header_credentials()
    {
        var test = CreateTest("""
            using System.Net.Http.Headers;
            using Microsoft.Extensions.Configuration;

            public class Startup(ILogger<Startup> logger, IConfiguration configuration)
            {
                public void Log(AuthenticationHeaderValue header)
                {
                    logger.LogInformation("{A}", {|MCPSEC504:configuration.GetValue<string>("Jwt:Key")|});
                    logger.LogInformation("{B}", {|MCPSEC504:configuration.GetSection("Jwt")["Key"]|});
                    logger.LogInformation("{C}", {|MCPSEC504:configuration.GetSection("Smtp:Password").Value|});
                    logger.LogInformation("{D}", {|MCPSEC504:header.Parameter|});
                    logger.LogInformation("{E} {F}", header.Scheme, configuration["Jwt:Issuer"]);
                }
            }
            """);
        test.ReferenceAssemblies = SecretTestReferences.Configuration;
        await test.RunAsync();
    }

    [Fact]
    public Task Flags_secret_named_arguments_read_from_a_collection() => Verify("""
        public class Dispatcher(ILogger<Dispatcher> logger)
        {
            public void Dispatch(IDictionary<string, string> args, JsonElement payload)
            {
                logger.LogInformation("{P}", {|MCPSEC504:args["password"]|});
                logger.LogInformation("{K}", {|MCPSEC504:payload.GetProperty("api_key").GetString()|});
                logger.LogInformation("{U}", {|MCPSEC501:args["user"]|});
            }
        }
        """);

    [Fact]
    public Task Options_apply_per_file() => Verify("""
        public class Dispatcher(ILogger<Dispatcher> logger)
        {
            public void Dispatch(IDictionary<string, object?> inputs) => logger.LogInformation("{Inputs}", {|MCPSEC501:inputs|});
        }
        """, "mcpsec.argument_collection_names = +inputs");

    [Fact]
    public Task Ignores_a_token_endpoint_returning_a_token_over_HTTP() => Verify("""
        using Microsoft.AspNetCore.Http;

        public static class TokenEndpoint
        {
            public static IResult Issue()
            {
                var accessToken = Guid.NewGuid().ToString("N");
                return Results.Ok(new { access_token = accessToken });
            }
        }
        """);

    [Fact]
    public Task Reports_a_value_once_even_when_two_sinks_contain_it() => Verify("""
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;

        public static class Endpoints
        {
            public static IResult Handle(Exception ex)
                => Results.Ok(new ProblemDetails { Detail = {|MCPSEC503:ex.Message|} });
        }
        """);
}
