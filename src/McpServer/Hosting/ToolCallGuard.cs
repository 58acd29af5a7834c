using System;
using System.Linq;
using System.Security.Claims;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpSecurity.Server.Hosting;

/// <summary>
/// Wraps every tool call: enforces run_program's own scope (HTTP only; stdio is a local child process),
/// checks the arguments against the tool's input schema, and turns unexpected failures into a generic
/// message with a correlation id. The log gets the tool name and the argument keys, never the values:
/// arguments carry paths, code and secrets (guide S5).
/// </summary>
public static partial class ToolCallGuard
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Wrap(McpRequestHandler<CallToolRequestParams, CallToolResult> next)
        => async (context, cancellationToken) =>
        {
            var tool = context.Params?.Name ?? string.Empty;
            if (string.Equals(tool, Scopes.RunProgramTool, StringComparison.Ordinal)
                && context.User is { Identity.IsAuthenticated: true } user
                && !HasScope(user, Scopes.RunProgram))
            {
                throw new McpException($"{Scopes.RunProgramTool} needs the {Scopes.RunProgram} scope.");
            }

            // Checked here, before the SDK binds them: its own binding failure reaches the client only as
            // "the tool failed", which does not tell a model which argument to correct.
            var schemaTool = context.MatchedPrimitive as McpServerTool
                ?? context.Server?.ServerOptions.ToolCollection?.FirstOrDefault(candidate => string.Equals(candidate.ProtocolTool.Name, tool, StringComparison.Ordinal));
            if (schemaTool is not null && ToolArguments.FindProblem(schemaTool.ProtocolTool.InputSchema, context.Params?.Arguments) is { } problem)
            {
                return new CallToolResult
                {
                    IsError = true,
                    Content = [new TextContentBlock { Text = $"Invalid arguments for '{tool}': {problem}" }],
                };
            }

            try
            {
                return await next(context, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not McpException)
            {
                var correlationId = Guid.NewGuid().ToString("N")[..16];
                var keys = context.Params?.Arguments is { } arguments ? string.Join(",", arguments.Keys.Order(StringComparer.Ordinal)) : string.Empty;
                var logger = context.Services?.GetService(typeof(ILoggerFactory)) is ILoggerFactory factory
                    ? factory.CreateLogger(typeof(ToolCallGuard).FullName!)
                    : null;
                if (logger is not null)
                {
                    // The exception type and stack, not its message: messages often quote the argument values.
                    LogToolFailure(logger, tool, keys, ex.GetType().FullName ?? "Exception", correlationId, ex.StackTrace ?? string.Empty);
                }

                return new CallToolResult
                {
                    IsError = true,
                    Content = [new TextContentBlock { Text = $"The tool '{tool}' failed. Correlation id: {correlationId}." }],
                };
            }
        };

    public static bool HasScope(ClaimsPrincipal user, string scope)
        => user.FindAll("scope").Any(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal));

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Tool {Tool} failed with {ExceptionType}; argument keys: [{ArgumentKeys}]; correlation id {CorrelationId}\n{StackTrace}")]
    private static partial void LogToolFailure(ILogger logger, string tool, string argumentKeys, string exceptionType, string correlationId, string stackTrace);
}
