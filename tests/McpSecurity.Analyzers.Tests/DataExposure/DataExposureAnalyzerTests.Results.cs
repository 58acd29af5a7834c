using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace McpSecurity.Analyzers.Tests.DataExposure;

/// <summary>MCPSEC503: exception details returned to the caller.</summary>
public partial class DataExposureAnalyzerTests
{
    private static DiagnosticResult Details(int markup, string text, string origin, string sink, DiagnosticSeverity severity)
        => new DiagnosticResult(RuleCatalog.ExceptionDetailsReturned).WithLocation(markup).WithArguments(text, origin, sink).WithSeverity(severity);

    [Fact]
    public Task Flags_an_exception_message_returned_from_a_tool_as_a_warning() => Verify("""
        public class Tools
        {
            [McpServerTool(Name = "run")]
            public string Run(string input)
            {
                try { return System.IO.File.ReadAllText(input); }
                catch (Exception ex) { return $"Error running {input}: {{|#0:ex.Message|}}"; }
            }
        }
        """, null, Details(0, "ex.Message", "the exception's message", "the result of tool 'run'", DiagnosticSeverity.Warning));

    [Fact]
    public Task Flags_exception_text_and_stack_traces_as_errors() => Verify("""
        public class Tools
        {
            [McpServerTool]
            public object Run(int mode)
            {
                try { return mode; }
                catch (InvalidOperationException ex) when (mode == 1) { return {|#0:ex.ToString()|}; }
                catch (InvalidOperationException ex) when (mode == 2) { return "at " + {|#1:ex.StackTrace|}; }
                catch (InvalidOperationException ex) when (mode == 3) { return $"failed: {{|#2:ex|}}"; }
                catch (InvalidOperationException ex) when (mode == 4) { return {|#3:JsonSerializer.Serialize(ex)|}; }
                catch (InvalidOperationException ex) when (mode == 5) { return {|#4:new { error = ex.InnerException?.Message }|}; }
                catch (Exception ex) { return {|#5:ex|}; }
            }
        }
        """, null,
        Details(0, "ex.ToString()", "the exception text (type, message and stack trace)", "the result of tool 'Run'", DiagnosticSeverity.Error),
        Details(1, "ex.StackTrace", "the exception's stack trace", "the result of tool 'Run'", DiagnosticSeverity.Error),
        Details(2, "ex", "the exception text (type, message and stack trace)", "the result of tool 'Run'", DiagnosticSeverity.Error),
        Details(3, "JsonSerializer.Serialize(ex)", "the exception text (type, message and stack trace)", "the result of tool 'Run'", DiagnosticSeverity.Error),
        Details(4, "new { error = ex.InnerException?.Message }", "the exception's message", "the result of tool 'Run'", DiagnosticSeverity.Warning),
        Details(5, "ex", "the exception text (type, message and stack trace)", "the result of tool 'Run'", DiagnosticSeverity.Error));

    // Found in a real MCP server: an error report that starts with the message and ends with the
    // stack trace is as bad as the stack trace, whichever the code appends first.
    [Fact]
    public Task Reports_a_builder_with_the_message_and_the_stack_trace_at_the_worse_severity() => Verify("""
        public class Tools
        {
            [McpServerTool]
            public string Eval(string code)
            {
                try { return code; }
                catch (Exception e)
                {
                    var errorBuilder = new StringBuilder();
                    errorBuilder.AppendLine($"Runtime Error: {e.GetType().Name}: {e.Message}");
                    errorBuilder.AppendLine("Stack Trace:");
                    errorBuilder.AppendLine(e.StackTrace);
                    return {|#0:errorBuilder.ToString().TrimEnd()|};
                }
            }
        }
        """, null, Details(0, "errorBuilder.ToString().TrimEnd()", "the exception's stack trace", "the result of tool 'Eval'", DiagnosticSeverity.Error));

    [Fact]
    public Task Flags_details_through_locals_builders_and_factory_methods() => Verify("""
        public sealed record ToolOutcome(bool Ok, string? Error)
        {
            public static ToolOutcome Failed(string error) => new(false, error);
        }

        public class Tools
        {
            [McpServerTool]
            public async Task<ToolOutcome> Run(string input)
            {
                try { return new ToolOutcome(true, await System.IO.File.ReadAllTextAsync(input)); }
                catch (System.IO.IOException ex)
                {
                    var message = "Error: " + ex.Message;
                    return {|MCPSEC503:ToolOutcome.Failed(message)|};
                }
                catch (Exception ex)
                {
                    var builder = new StringBuilder("failed: ");
                    builder.AppendLine(ex.ToString());
                    return {|MCPSEC503:new ToolOutcome(false, builder.ToString())|};
                }
            }

            [McpServerTool]
            public Task<string> Probe(string input)
            {
                try { return Task.FromResult(input); }
                catch (Exception ex) { return {|MCPSEC503:Task.FromResult(ex.Message)|}; }
            }
        }
        """);

    [Fact]
    public Task Flags_call_tool_results_mcp_exceptions_and_delegate_tools() => Verify("""
        public static class Handlers
        {
            public static CallToolResult Fail(Exception ex)
                => new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = {|MCPSEC503:ex.Message|} }] };

            public static void Throw(Exception ex) => throw new McpException("failed: " + {|MCPSEC503:ex|});

            public static McpServerTool Build()
                => McpServerTool.Create((string path) =>
                {
                    try { return System.IO.File.ReadAllText(path); }
                    catch (Exception ex) { return {|MCPSEC503:ex.StackTrace|} ?? ""; }
                });
        }
        """);

    [Fact]
    public Task Flags_minimal_api_results_problem_details_and_response_writes() => Verify("""
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;

        public static class Endpoints
        {
            public static IResult Handle(Exception ex, int mode) => mode switch
            {
                1 => Results.Problem(detail: {|MCPSEC503:ex.ToString()|}),
                2 => Results.Content({|MCPSEC503:ex.Message|}),
                3 => Results.Text({|MCPSEC503:ex.StackTrace|}),
                4 => TypedResults.Problem({|MCPSEC503:ex.Message|}),
                _ => Results.Ok(new ProblemDetails { Title = "Failed", Detail = {|MCPSEC503:ex.Message|} }),
            };

            public static Task Write(HttpResponse response, Exception ex)
            {
                var problem = new ProblemDetails();
                problem.Extensions["trace"] = {|MCPSEC503:Environment.StackTrace|};
                return response.WriteAsync({|MCPSEC503:ex.Message|});
            }
        }
        """, null);

    // Found in Jellyfin's exception middleware: details only for the Development environment, as
    // ASP.NET Core's developer exception page does.
    [Fact]
    public Task Ignores_details_sent_only_in_the_Development_environment() => Verify("""
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.Hosting;

        namespace Microsoft.Extensions.Hosting
        {
            public interface IHostEnvironment { string EnvironmentName { get; } }
            public static class HostEnvironmentEnvExtensions
            {
                public static bool IsDevelopment(this IHostEnvironment environment) => environment.EnvironmentName == "Development";
                public static bool IsProduction(this IHostEnvironment environment) => environment.EnvironmentName == "Production";
                public static bool IsEnvironment(this IHostEnvironment environment, string name) => environment.EnvironmentName == name;
            }
        }

        public sealed class ErrorEndpoints(IHostEnvironment env)
        {
            public IResult Expression(Exception ex)
                => Results.Problem(env.IsDevelopment() ? ex.ToString() : "An error occurred.");

            public IResult Negated(Exception ex)
                => Results.Problem(!env.IsDevelopment() ? "An error occurred." : ex.StackTrace);

            public IResult Statement(Exception ex)
            {
                if (env.IsEnvironment("Development") && ex is not OperationCanceledException)
                {
                    return Results.Problem(ex.ToString());
                }

                return Results.Problem("An error occurred.");
            }

            public Task Local(HttpResponse response, Exception ex)
            {
                var errorContent = "Error processing request.";
                if (env.EnvironmentName == "Development")
                {
                    errorContent = ex.Message;
                }

                return response.WriteAsync(errorContent);
            }

            public IResult NotOnlyDevelopment(Exception ex)
                => Results.Problem(env.IsProduction() ? "An error occurred." : {|MCPSEC503:ex.ToString()|});

            public IResult EitherEnvironment(Exception ex)
                => Results.Problem(env.IsDevelopment() || ex is TimeoutException ? {|MCPSEC503:ex.ToString()|} : "An error occurred.");
        }
        """, null);

    [Fact]
    public Task Ignores_type_names_logged_exceptions_and_generic_messages() => Verify("""
        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool]
            public string Run(string input)
            {
                try { return System.IO.File.ReadAllText(input); }
                catch (System.IO.IOException ex)
                {
                    logger.LogError(ex, "Run failed: {Message}", ex.Message);
                    return $"Run failed ({ex.GetType().Name}, HRESULT {ex.HResult}). Correlation id: {Guid.NewGuid():N}";
                }
                catch (McpException ex) { return ex.Message; }
                catch (Exception ex)
                {
                    Func<string> later = () => ex.Message;
                    string Describe() => ex.ToString();
                    logger.LogWarning("{Later} {Describe}", later(), Describe());
                    throw new InvalidOperationException("Run failed: " + ex.Message, ex);
                }
            }

            public string NotATool(Exception ex) => ex.ToString();
        }
        """);

    [Fact]
    public Task Ignores_an_exception_passed_as_the_inner_exception_of_McpException() => Verify0("""
        using System;
        using ModelContextProtocol;
        using ModelContextProtocol.Server;

        public class Tools
        {
            [McpServerTool]
            public string Run(string input)
            {
                try { return System.IO.File.ReadAllText(input); }
                catch (Exception ex) { throw new McpException("The 'run' tool failed.", ex); }
            }
        }
        """, TestReferences.McpSdkStubs);

    private static Task Verify0(string source, params string[] additional)
        => AnalyzerVerifier<McpSecurity.Analyzers.DataExposure.DataExposureAnalyzer>.VerifyAsync(source, additional);
}
