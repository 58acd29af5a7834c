using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace McpSecurity.Server.Hosting;

/// <summary>
/// run_program needs its own scope. Checked on the JSON-RPC body so that the client gets an HTTP 403
/// with WWW-Authenticate, as for any missing scope; the SDK's authorization filter and the tool-call
/// guard check again.
/// </summary>
public static class RunProgramScope
{
    /// <summary>The nesting a JSON-RPC request needs is small; deeper input is refused before anyone walks it.</summary>
    public const int MaxJsonDepth = 64;

    public static async Task Require(HttpContext context, RequestDelegate next)
    {
        if (HttpMethods.IsPost(context.Request.Method)
            && context.User.Identity?.IsAuthenticated == true
            && !ToolCallGuard.HasScope(context.User, Scopes.RunProgram))
        {
            context.Request.EnableBuffering();
            bool callsRun;
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = MaxJsonDepth }, context.RequestAborted).ConfigureAwait(false);
                callsRun = CallsRunProgram(document.RootElement);
            }
            catch (JsonException)
            {
                // Not JSON, not UTF-8, or nested past the limit: the SDK could not read it either.
                await JsonRpcErrors.WriteAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.ParseError, $"The request body is not JSON this server reads (invalid JSON or UTF-8, or nested deeper than {MaxJsonDepth}).").ConfigureAwait(false);
                return;
            }

            context.Request.Body.Position = 0;
            if (callsRun)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                // RFC 6750's insufficient_scope, with the scope to ask for and where the metadata is (RFC 9728).
                context.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{Scopes.RunProgram}\", resource_metadata=\"{ResourceMetadataUrl(context.Request)}\"";
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>Where the SDK's MCP authentication handler serves the metadata by default: the well-known path followed by the endpoint's path.</summary>
    internal static string ResourceMetadataUrl(HttpRequest request)
        => $"{request.Scheme}://{request.Host}{request.PathBase}/.well-known/oauth-protected-resource{ServerHosts.McpPath}";

    /// <summary>Any JSON at all may arrive: a method or tool name that is not a string is simply not run_program.</summary>
    internal static bool CallsRunProgram(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            return element.EnumerateArray().Any(CallsRunProgram);
        }

        return element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String && method.ValueEquals("tools/call")
            && element.TryGetProperty("params", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.ValueEquals(Scopes.RunProgramTool);
    }
}
