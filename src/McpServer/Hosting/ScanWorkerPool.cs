using System;
using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using McpSecurity.Server.Engine;
using McpSecurity.Server.Tools;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;

namespace McpSecurity.Server.Hosting;

/// <summary>
/// The MCP tools' scans, each sent to a worker process (<c>McpServer worker</c>) that is killed when
/// the call's budget runs out or its client goes away. Roslyn does not honour cancellation
/// everywhere: overload resolution of nested lambdas (<c>M(x => M(y => …))</c> with four overloads of
/// <c>M</c>: 10 levels 77 s) runs on after cancellation, so only killing the process bounds a call.
/// A worker stays warm between calls (loading Roslyn costs seconds); one that is killed or dies
/// (stack overflow, out of memory) is replaced, and its call gets an error saying so.
/// </summary>
public sealed class ScanWorkerPool : IScanExecutor, IDisposable
{
    internal static readonly JsonSerializerOptions WireOptions = new(JsonSerializerDefaults.Web);

    private readonly ServerSettings settings;
    private readonly ILogger? logger;
    private readonly string serverDll;
    private readonly Channel<Slot> idle;
    private readonly Slot[] slots;
    private int admitted;
    private bool disposed;

    public ScanWorkerPool(ServerSettings settings, ILogger<ScanWorkerPool> logger)
        : this(settings, logger, typeof(Program).Assembly.Location)
    {
    }

    /// <summary>A pool whose workers run <paramref name="serverDll"/> (tests name the built server).</summary>
    internal ScanWorkerPool(ServerSettings settings, ILogger? logger, string serverDll)
    {
        this.settings = settings;
        this.logger = logger;
        this.serverDll = serverDll;
        var count = Math.Max(1, settings.ScanWorkers);
        slots = new Slot[count];
        idle = Channel.CreateUnbounded<Slot>();
        for (var i = 0; i < count; i++)
        {
            slots[i] = new Slot();
            idle.Writer.TryWrite(slots[i]);
        }
    }

    public async Task<ScanJobReply> RunAsync(ScanJob job, CancellationToken requestAborted)
    {
        // A bounded queue: calls past it are refused at once instead of piling up behind a slow scan.
        if (Interlocked.Increment(ref admitted) > slots.Length + Math.Max(0, settings.ScanQueueLimit))
        {
            Interlocked.Decrement(ref admitted);
            throw new McpException($"The server is busy: {slots.Length + settings.ScanQueueLimit} scans are running or waiting (McpServer:ScanWorkers, McpServer:ScanQueueLimit). Retry later.");
        }

        try
        {
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
            budget.CancelAfter(TimeSpan.FromSeconds(settings.ScanTimeoutSeconds));
            Slot slot;
            try
            {
                slot = await idle.Reader.ReadAsync(budget.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!requestAborted.IsCancellationRequested)
            {
                throw new McpException(ScanJobs.BudgetError(settings.ScanTimeoutSeconds), ex);
            }

            try
            {
                var reply = await RunOnAsync(slot, job, budget.Token, requestAborted).ConfigureAwait(false);
                return reply.Error is null ? reply : throw new McpException(reply.Error);
            }
            finally
            {
                idle.Writer.TryWrite(slot);
            }
        }
        finally
        {
            Interlocked.Decrement(ref admitted);
        }
    }

    private async Task<ScanJobReply> RunOnAsync(Slot slot, ScanJob job, CancellationToken budget, CancellationToken requestAborted)
    {
        var worker = slot.Worker is { } warm && !warm.Process.HasExited ? warm : Replace(slot);
        string? line;
        try
        {
            await worker.Input.WriteLineAsync(JsonSerializer.Serialize(job, WireOptions).AsMemory(), budget).ConfigureAwait(false);
            await worker.Input.FlushAsync(budget).ConfigureAwait(false);
            // The read itself is left behind on cancellation: the worker it reads from is killed.
            line = await worker.Output.ReadLineAsync(CancellationToken.None).AsTask().WaitAsync(budget).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            logger?.LogWarning("Scan worker {ProcessId} killed: {Reason}.", worker.Process.Id, requestAborted.IsCancellationRequested ? "the client cancelled" : "time budget spent");
            Replace(slot);
            if (requestAborted.IsCancellationRequested)
            {
                throw;
            }

            throw new McpException(ScanJobs.BudgetError(settings.ScanTimeoutSeconds), ex);
        }
        catch (IOException)
        {
            line = null;
        }

        if (line is null)
        {
            var exit = worker.Process.WaitForExit(5000) ? worker.Process.ExitCode.ToString(CultureInfo.InvariantCulture) : "unknown";
            logger?.LogWarning("Scan worker {ProcessId} ended while scanning (exit code {ExitCode}).", worker.Process.Id, exit);
            Replace(slot);
            throw new McpException($"The scan worker process ended before answering (exit code {exit}): the input may have exhausted its stack or its memory limit of {settings.ScanWorkerMemoryLimitMegabytes} MB (McpServer:ScanWorkerMemoryLimitMegabytes). The next call gets a new worker.");
        }

        return JsonSerializer.Deserialize<ScanJobReply>(line, WireOptions) ?? throw new McpException("The scan worker sent an empty answer.");
    }

    /// <summary>Kills the slot's worker, if any, with its whole process tree, and starts a fresh one, which warms up while no call waits for it.</summary>
    private Worker Replace(Slot slot)
    {
        lock (slots)
        {
            slot.Worker?.Dispose();
            slot.Worker = disposed ? throw new ObjectDisposedException(nameof(ScanWorkerPool)) : Start();
            return slot.Worker;
        }
    }

    private Worker Start()
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            WorkingDirectory = settings.WorkspaceRoot,
        };
        info.ArgumentList.Add(serverDll);
        info.ArgumentList.Add("worker");
        SetEnvironment(info, settings.ScanWorkerMemoryLimitMegabytes);
        var process = Process.Start(info) ?? throw new McpException("The scan worker could not be started.");
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { Length: > 0 } text)
            {
                logger?.LogInformation("scan worker {ProcessId}: {Line}", process.Id, text);
            }
        };
        process.BeginErrorReadLine();
        logger?.LogInformation("Scan worker {ProcessId} started.", process.Id);
        return new Worker(process);
    }

    /// <summary>
    /// Built from an allow-list, never inherited: whatever else the server's environment holds (a
    /// user's tokens, SECRET_KEY had it not been erased) is not the worker's business. The heap cap
    /// makes a request that allocates without end fail in the worker, not exhaust the machine.
    /// </summary>
    internal static void SetEnvironment(ProcessStartInfo info, int memoryLimitMegabytes)
    {
        info.Environment.Clear();
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            if (name is "PATH" or "HOME" or "LANG" || (name.StartsWith("DOTNET_", StringComparison.Ordinal) && !name.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase)))
            {
                info.Environment[name] = (string?)variable.Value;
            }
        }

        // Workstation GC: one heap, not one per core, so the cap is the worker's whole managed heap.
        info.Environment["DOTNET_gcServer"] = "0";
        if (memoryLimitMegabytes > 0)
        {
            info.Environment["DOTNET_GCHeapHardLimit"] = ((long)memoryLimitMegabytes * 1024 * 1024).ToString("X", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The dotnet host this server runs on (the runtime folder is &lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/).</summary>
    internal static string DotnetHost()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        var fromRuntime = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
        return File.Exists(fromRuntime) ? fromRuntime : "dotnet";
    }

    public void Dispose()
    {
        lock (slots)
        {
            disposed = true;
            foreach (var slot in slots)
            {
                slot.Worker?.Dispose();
                slot.Worker = null;
            }
        }
    }

    private sealed class Slot
    {
        public Worker? Worker { get; set; }
    }

    private sealed class Worker(Process process) : IDisposable
    {
        public Process Process { get; } = process;

        public StreamWriter Input { get; } = process.StandardInput;

        public StreamReader Output { get; } = process.StandardOutput;

        public void Dispose()
        {
            try
            {
                if (!Process.HasExited)
                {
                    Process.Kill(entireProcessTree: true);
                }

                // Reaped before the caller hears of the kill, so the process is really gone.
                Process.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            Process.Dispose();
        }
    }
}
