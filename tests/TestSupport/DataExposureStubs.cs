namespace McpSecurity.TestSupport;

/// <summary>
/// The sinks of the data-exposure rules that the default test references lack, in source with their
/// real metadata names: MCP results and content blocks (ModelContextProtocol 2.3.1), the minimal-API
/// <c>Results</c>/<c>TypedResults</c> and <c>HttpResponse</c> writers, <c>ProblemDetails</c>, and a
/// Serilog-shaped static <c>Log</c>. Use together with <see cref="McpServerStubs.Source"/>.
/// </summary>
public static class DataExposureStubs
{
    public const string Source = """
        namespace ModelContextProtocol.Protocol
        {
            public abstract class ContentBlock { }

            public sealed class TextContentBlock : ContentBlock
            {
                public string Text { get; set; } = "";
            }

            public sealed class CallToolResult
            {
                public System.Collections.Generic.IList<ContentBlock> Content { get; set; } = new System.Collections.Generic.List<ContentBlock>();
                public bool? IsError { get; set; }
            }
        }

        namespace Microsoft.AspNetCore.Http
        {
            public interface IResult { }

            public static class Results
            {
                public static IResult Problem(string? detail = null, string? instance = null, int? statusCode = null, string? title = null, string? type = null) => null!;
                public static IResult Content(string? content, string? contentType = null) => null!;
                public static IResult Text(string? content, string? contentType = null) => null!;
                public static IResult Ok(object? value = null) => null!;
            }

            public static class TypedResults
            {
                public static IResult Problem(string? detail = null, string? instance = null, int? statusCode = null, string? title = null, string? type = null) => null!;
            }

            public abstract class HttpResponse
            {
                public abstract int StatusCode { get; set; }
            }

            public static class HttpResponseWritingExtensions
            {
                public static System.Threading.Tasks.Task WriteAsync(this HttpResponse response, string text, System.Threading.CancellationToken cancellationToken = default) => System.Threading.Tasks.Task.CompletedTask;
            }
        }

        namespace Microsoft.AspNetCore.Mvc
        {
            public class ProblemDetails
            {
                public string? Title { get; set; }
                public string? Detail { get; set; }
                public System.Collections.Generic.IDictionary<string, object?> Extensions { get; } = new System.Collections.Generic.Dictionary<string, object?>();
            }
        }

        namespace Serilog
        {
            public interface ILogger
            {
                void Information(string messageTemplate, params object?[] propertyValues);
                void Error(System.Exception? exception, string messageTemplate, params object?[] propertyValues);
            }

            public static class Log
            {
                public static ILogger Logger { get; set; } = null!;
                public static void Information(string messageTemplate, params object?[] propertyValues) { }
                public static void Warning(string messageTemplate, params object?[] propertyValues) { }
                public static void Error(System.Exception? exception, string messageTemplate, params object?[] propertyValues) { }
            }
        }
        """;
}
