using System;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpSecurity.Server.Hosting;

/// <summary>
/// Malformed JSON-RPC never gets HTTP 500: the SDK's transport throws on input it cannot read (no
/// Content-Type, initialize params of the wrong JSON type, nesting past the depth limit), and those
/// throws become HTTP 400 with a JSON-RPC error body (id null), with no exception text in it.
/// </summary>
public static partial class JsonRpcErrors
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;

    /// <summary>In the JSON-RPC range reserved for implementation-defined server errors.</summary>
    public const int RateLimited = -32029;

    public static async Task MapBadInput(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsBadInput(ex) && !context.Response.HasStarted)
        {
            var logger = context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger(typeof(JsonRpcErrors).FullName!);
            if (logger is not null)
            {
                // The type only: the message of a JsonException can quote the request.
                LogBadInput(logger, ex.GetType().FullName ?? "Exception", context.TraceIdentifier);
            }

            context.Response.Clear();
            var code = ex is JsonException ? ParseError : InvalidRequest;
            await WriteAsync(context, StatusCodes.Status400BadRequest, code, code == ParseError
                ? "The request body is not a JSON-RPC message this server can read (invalid JSON, a field of the wrong type, or nested too deeply)."
                : "The request is not a valid MCP JSON-RPC request (POST a JSON-RPC message with Content-Type: application/json).").ConfigureAwait(false);
        }
    }

    /// <summary>Writes a JSON-RPC error with id null, as the spec asks when the request's id cannot be read.</summary>
    public static Task WriteAsync(HttpContext context, int status, int code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", id = (object?)null, error = new { code, message } }), context.RequestAborted);
    }

    /// <summary>What the transport throws on bad input; anything else is a real fault and stays a 500.</summary>
    private static bool IsBadInput(Exception ex)
        => ex is JsonException or InvalidOperationException or FormatException or NotSupportedException or ArgumentException or BadHttpRequestException;

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Malformed request answered 400 ({ExceptionType}); trace id {TraceId}")]
    private static partial void LogBadInput(ILogger logger, string exceptionType, string traceId);
}
