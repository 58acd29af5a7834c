using McpSecurity.CodeFixes.DataExposure;
using McpSecurity.TestSupport;
using Verify = McpSecurity.TestSupport.CodeFixVerifier<
    McpSecurity.Analyzers.DataExposure.DataExposureAnalyzer,
    McpSecurity.CodeFixes.DataExposure.GenericErrorCodeFix>;

namespace McpSecurity.CodeFixes.Tests.DataExposure;

public class GenericErrorCodeFixTests
{
    private static Task VerifyAsync(string source, string fixedSource)
        => Verify.VerifyAsync(source, fixedSource, GenericErrorCodeFix.EquivalenceKey, McpServerStubs.Source, DataExposureStubs.Source);

    /// <summary>Offered on the node; computing it finds nothing safe to write, so it changes nothing.</summary>
    private static Task LeavesUnchangedAsync(string source)
        => Infrastructure.FixRunner.AssertLeavesUnchangedAsync(
            source, new McpSecurity.Analyzers.DataExposure.DataExposureAnalyzer(), new GenericErrorCodeFix(), GenericErrorCodeFix.EquivalenceKey, McpServerStubs.Source, DataExposureStubs.Source);

    [Fact]
    public Task Returns_a_generic_message_and_logs_the_exception_in_a_tool() => VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool(Name = "run")]
            public string Run(string input)
            {
                try
                {
                    return System.IO.File.ReadAllText(input);
                }
                catch (Exception ex)
                {
                    return $"Error running {input}: {{|MCPSEC503:ex.Message|}}";
                }
            }
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool(Name = "run")]
            public string Run(string input)
            {
                try
                {
                    return System.IO.File.ReadAllText(input);
                }
                catch (Exception ex)
                {
                    var correlationId = Guid.NewGuid().ToString("N");
                    logger.LogError(ex, "Run failed; correlation id {CorrelationId}", correlationId);
                    return $"The tool 'run' failed. Correlation id: {correlationId}.";
                }
            }
        }
        """);

    [Fact]
    public Task Opens_a_one_line_handler_and_replaces_the_whole_concatenation() => VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool(Name = "ffmpeg_probe")]
            public string Probe(string input)
            {
                try { return System.IO.File.ReadAllText(input); }
                catch (Exception ex) { return "Error: " + {|MCPSEC503:ex.Message|}; }
            }
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool(Name = "ffmpeg_probe")]
            public string Probe(string input)
            {
                try { return System.IO.File.ReadAllText(input); }
                catch (Exception ex)
                {
                    var correlationId = Guid.NewGuid().ToString("N");
                    logger.LogError(ex, "Probe failed; correlation id {CorrelationId}", correlationId);
                    return $"The tool 'ffmpeg_probe' failed. Correlation id: {correlationId}.";
                }
            }
        }
        """);

    [Fact]
    public Task Without_a_logger_keeps_the_exception_as_the_inner_exception() => VerifyAsync("""
        using ModelContextProtocol;

        public static class Handlers
        {
            public static void Fail(System.Exception ex)
            {
                throw new McpException("failed: " + {|MCPSEC503:ex|});
            }
        }
        """, """
        using ModelContextProtocol;

        public static class Handlers
        {
            public static void Fail(System.Exception ex)
            {
                var correlationId = System.Guid.NewGuid().ToString("N");
                throw new McpException($"The request failed. Correlation id: {correlationId}.", ex);
            }
        }
        """);

    // Found on a real MCP server: without a logger, a tool's handler that returned only the generic
    // message lost the exception; MCPSEC202 then fired and its fix turned the return into 'throw;',
    // leaving the correlation id unused.
    [Fact]
    public Task Without_a_logger_a_tool_handler_throws_McpException_with_the_exception_inside() => VerifyAsync("""
        using System.Text.Json;
        using ModelContextProtocol;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class Tools
        {
            [McpServerTool(Name = "todo_list")]
            public string List(string section)
            {
                try { return section.ToUpperInvariant(); }
                catch (System.Exception ex) { return {|MCPSEC503:JsonSerializer.Serialize(new { error = ex.Message })|}; }
            }

            [McpServerTool(Name = "todo_get")]
            public string Get(string id)
            {
                try { return id.Trim(); }
                catch (System.Exception ex)
                {
                    System.Console.Error.WriteLine(ex);
                    return "Error: " + {|MCPSEC503:ex.Message|};
                }
            }
        }
        """, """
        using System.Text.Json;
        using ModelContextProtocol;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class Tools
        {
            [McpServerTool(Name = "todo_list")]
            public string List(string section)
            {
                try { return section.ToUpperInvariant(); }
                catch (System.Exception ex)
                {
                    var correlationId = System.Guid.NewGuid().ToString("N");
                    throw new McpException($"The tool 'todo_list' failed. Correlation id: {correlationId}.", ex);
                }
            }

            [McpServerTool(Name = "todo_get")]
            public string Get(string id)
            {
                try { return id.Trim(); }
                catch (System.Exception ex)
                {
                    System.Console.Error.WriteLine(ex);
                    return "The tool 'todo_get' failed.";
                }
            }
        }
        """);

    [Fact]
    public async Task Without_a_logger_offers_no_fix_where_the_exception_would_be_lost()
    {
        const string source = """
            using Microsoft.AspNetCore.Http;

            public static class Middleware
            {
                public static async System.Threading.Tasks.Task Invoke(HttpResponse response, System.Func<System.Threading.Tasks.Task> next)
                {
                    try { await next(); }
                    catch (System.Exception ex) { await response.WriteAsync({|MCPSEC503:ex.Message|}); }
                }
            }
            """;
        await LeavesUnchangedAsync(source);
    }

    [Fact]
    public Task Replaces_a_problem_detail_and_adds_the_logging_using() => VerifyAsync("""
        using System;
        using Microsoft.AspNetCore.Http;

        public class Endpoints(Microsoft.Extensions.Logging.ILogger<Endpoints> logger)
        {
            public IResult Handle(Exception error)
            {
                return Results.Problem(detail: {|MCPSEC503:error.ToString()|}, statusCode: 500);
            }
        }
        """, """
        using System;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.Logging;

        public class Endpoints(Microsoft.Extensions.Logging.ILogger<Endpoints> logger)
        {
            public IResult Handle(Exception error)
            {
                var correlationId = Guid.NewGuid().ToString("N");
                logger.LogError(error, "Handle failed; correlation id {CorrelationId}", correlationId);
                return Results.Problem(detail: $"The request failed. Correlation id: {correlationId}.", statusCode: 500);
            }
        }
        """);

    [Fact]
    public async Task Offers_no_fix_in_expression_bodies_or_for_values_that_are_not_text()
    {
        var source = """
            using System;
            using Microsoft.AspNetCore.Http;
            using ModelContextProtocol.Server;

            public sealed record Outcome(string Error)
            {
                public static Outcome Failed(string error) => new(error);
            }

            public class Tools
            {
                public static IResult Handle(Exception ex) => Results.Problem({|MCPSEC503:ex.Message|});

                [McpServerTool]
                public Outcome Run(string input)
                {
                    try { return new Outcome(input); }
                    catch (Exception ex)
                    {
                        var message = "failed: " + ex.Message;
                        return {|MCPSEC503:Outcome.Failed(message)|};
                    }
                }
            }
            """;
        await LeavesUnchangedAsync(source);
    }

    [Fact]
    public Task Fix_all_gives_each_handler_its_own_correlation_id_and_the_result_compiles() => VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;

        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool(Name = "read")]
            public string Read(string path)
            {
                try
                {
                    return System.IO.File.ReadAllText(path);
                }
                catch (System.IO.IOException ex)
                {
                    return {|MCPSEC503:ex.Message|} + "\n" + {|MCPSEC503:ex.StackTrace|};
                }
                catch (Exception ex)
                {
                    var correlationId = "taken";
                    logger.LogWarning("{Id}", correlationId);
                    return {|MCPSEC503:ex.ToString()|};
                }
            }

            public CallToolResult Fail(Exception error)
            {
                return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = {|MCPSEC503:error.Message|} }] };
            }
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;

        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool(Name = "read")]
            public string Read(string path)
            {
                try
                {
                    return System.IO.File.ReadAllText(path);
                }
                catch (System.IO.IOException ex)
                {
                    var correlationId = Guid.NewGuid().ToString("N");
                    logger.LogError(ex, "Read failed; correlation id {CorrelationId}", correlationId);
                    return $"The tool 'read' failed. Correlation id: {correlationId}.";
                }
                catch (Exception ex)
                {
                    var correlationId = "taken";
                    logger.LogWarning("{Id}", correlationId);
                    var correlationId2 = Guid.NewGuid().ToString("N");
                    logger.LogError(ex, "Read failed; correlation id {CorrelationId}", correlationId2);
                    return $"The tool 'read' failed. Correlation id: {correlationId2}.";
                }
            }

            public CallToolResult Fail(Exception error)
            {
                var correlationId = Guid.NewGuid().ToString("N");
                logger.LogError(error, "Fail failed; correlation id {CorrelationId}", correlationId);
                return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = $"The request failed. Correlation id: {correlationId}." }] };
            }
        }
        """);
}
