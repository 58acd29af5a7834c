using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Server.Tools;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Server.Engine;

/// <summary>
/// One scan_code, fix_code or scan_path call, already checked by the server (severity parsed, source
/// size and path resolved inside <see cref="WorkspaceRoot"/>): what the server sends to a scan worker,
/// one JSON line each.
/// </summary>
public sealed record ScanJob(
    string Tool,
    string? Source = null,
    DiagnosticSeverity MinimumSeverity = DiagnosticSeverity.Info,
    string? Path = null,
    string? WorkspaceRoot = null,
    string[]? Rules = null,
    string[]? Actions = null);

/// <summary>A worker's answer: the tool's result, or an error message meant for the MCP client.</summary>
public sealed record ScanJobReply(ScanResult? Scan = null, CodeFixResult? Fix = null, string? Error = null);

/// <summary>Runs a <see cref="ScanJob"/> on a <see cref="CodeEngine"/>: the same code in the worker process and in tests.</summary>
public static class ScanJobs
{
    public const string ScanCode = "scan_code";
    public const string FixCode = "fix_code";
    public const string ScanPath = "scan_path";

    /// <summary>
    /// The result, or an error reply for input past a limit or unreadable; cancellation propagates.
    /// The messages are the ones the tools have always sent, so a client sees no difference.
    /// </summary>
    public static async Task<ScanJobReply> RunAsync(CodeEngine engine, ScanJob job, CancellationToken cancellationToken)
    {
        try
        {
            switch (job.Tool)
            {
                case ScanCode:
                    {
                        using var sources = SourceSet.FromText(job.Source ?? string.Empty, "Input.cs");
                        return new ScanJobReply(Scan: await engine.ScanAsync(sources, job.MinimumSeverity, progress: null, cancellationToken).ConfigureAwait(false));
                    }

                case ScanPath:
                    {
                        using var sources = WorkspaceSources.Load(job.WorkspaceRoot ?? string.Empty, job.Path ?? string.Empty, WorkspaceLimits.Default, cancellationToken);
                        return new ScanJobReply(Scan: await engine.ScanAsync(sources, job.MinimumSeverity, progress: null, cancellationToken).ConfigureAwait(false));
                    }

                case FixCode:
                    {
                        var source = job.Source ?? string.Empty;
                        using var sources = SourceSet.FromText(source, "Input.cs");
                        var result = await engine.FixAsync(sources, job.Rules ?? [], cancellationToken, job.Actions ?? []).ConfigureAwait(false);
                        var change = result.Changes.FirstOrDefault();
                        return new ScanJobReply(Fix: new CodeFixResult(change?.NewText ?? source, change?.Diff ?? string.Empty, result.Unfixed, result.Failures));
                    }

                default:
                    return new ScanJobReply(Error: $"Unknown scan job '{job.Tool}'.");
            }
        }
        catch (LimitExceededException ex)
        {
            return new ScanJobReply(Error: $"{ex.Where}: {ex.Found} is past the {ex.Limit} of {ex.Maximum}; the scan was refused before any analysis.");
        }
        catch (InputException)
        {
            return new ScanJobReply(Error: "The path could not be scanned: it is not a C# file, folder, project or solution that can be read inside the workspace root.");
        }
    }

    /// <summary>The error a call gets when its time budget runs out.</summary>
    public static string BudgetError(int seconds)
        => $"The scan did not finish within its time budget of {seconds} s (McpServer:ScanTimeoutSeconds).";
}
