using System;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Server.Engine;
using McpSecurity.Server.Hosting;
using ModelContextProtocol;

namespace McpSecurity.Server.Tools;

/// <summary>
/// Where the MCP tools' scans run. The servers use <see cref="ScanWorkerPool"/> (a worker process
/// that can be killed); <see cref="InProcessScans"/> serves unit tests of the tools themselves.
/// </summary>
public interface IScanExecutor
{
    /// <summary>
    /// Runs <paramref name="job"/> within <see cref="ServerSettings.ScanTimeoutSeconds"/>: an expired budget
    /// or an error reply throws <see cref="McpException"/>; <paramref name="requestAborted"/> (the client
    /// cancelled or went away) throws <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<ScanJobReply> RunAsync(ScanJob job, CancellationToken requestAborted);
}

/// <summary>
/// Scans in this process with cooperative cancellation only: a scan Roslyn does not cancel (nested
/// lambdas over many overloads) runs on past its budget. Tests only; servers use the worker.
/// </summary>
public sealed class InProcessScans(CodeEngine engine, ServerSettings settings) : IScanExecutor
{
    public async Task<ScanJobReply> RunAsync(ScanJob job, CancellationToken requestAborted)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        budget.CancelAfter(TimeSpan.FromSeconds(settings.ScanTimeoutSeconds));
        ScanJobReply reply;
        try
        {
            reply = await ScanJobs.RunAsync(engine, job, budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!requestAborted.IsCancellationRequested)
        {
            throw new McpException(ScanJobs.BudgetError(settings.ScanTimeoutSeconds), ex);
        }

        return reply.Error is null ? reply : throw new McpException(reply.Error);
    }
}
