using System;
using System.CommandLine;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Server.Engine;
using McpSecurity.Server.Hosting;

namespace McpSecurity.Server.Cli;

/// <summary>
/// <c>worker</c> (hidden): the scan worker the MCP server starts (<see cref="ScanWorkerPool"/>). One
/// <see cref="ScanJob"/> per stdin line, one <see cref="ScanJobReply"/> per stdout line, logs on
/// stderr; ends when stdin closes. The server kills it when a call's budget runs out, which bounds
/// the analyses Roslyn does not cancel.
/// </summary>
public static class WorkerCommand
{
    private const string WarmUpSource = "class WarmUp { void M() => System.Console.WriteLine(1); }";

    public static Command Create()
    {
        var command = new Command("worker", "Scan worker of the MCP server (started by serve, not by hand).") { Hidden = true };
        command.SetGuardedAction(async (_, cancellationToken) =>
        {
            // stdout is the reply channel: anything else written there would corrupt it.
            var replies = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
            Console.SetOut(Console.Error);
            using var requests = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
            var engine = new CodeEngine();

            // Roslyn and the analyzers load here, before the first call waits for them.
            using (var warmUp = SourceSet.FromText(WarmUpSource, "WarmUp.cs"))
            {
                await engine.ScanAsync(warmUp, Microsoft.CodeAnalysis.DiagnosticSeverity.Info, progress: null, cancellationToken).ConfigureAwait(false);
            }

            while (await requests.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                var job = JsonSerializer.Deserialize<ScanJob>(line, ScanWorkerPool.WireOptions);
                var reply = job is null
                    ? new ScanJobReply(Error: "Empty scan job.")
                    : await ScanJobs.RunAsync(engine, job, CancellationToken.None).ConfigureAwait(false);
                await replies.WriteLineAsync(JsonSerializer.Serialize(reply, ScanWorkerPool.WireOptions).AsMemory(), cancellationToken).ConfigureAwait(false);
                await replies.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Clean;
        });
        return command;
    }
}
