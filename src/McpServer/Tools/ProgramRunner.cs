using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Server.Hosting;

namespace McpSecurity.Server.Tools;

/// <summary>The outcome of run_program.</summary>
public sealed record ProgramResult(
    [property: Description("Whether the program was started. False when the request was refused; see 'error'.")] bool Started,
    [property: Description("Exit code, or null when refused or killed on timeout.")] int? ExitCode,
    [property: Description("True when the program ran past the time limit and was killed with its child processes.")] bool TimedOut,
    [property: Description("Standard output, cut at the output limit.")] string StandardOutput,
    [property: Description("Standard error, cut at the output limit.")] string StandardError,
    [property: Description("True when output was cut at the limit.")] bool OutputTruncated,
    [property: Description("Why the request was refused, when it was.")] string? Error);

/// <summary>
/// Starts allow-listed programs without a shell (guide S4): the executable comes from configuration,
/// arguments go one by one into ArgumentList, the environment is rebuilt from nothing so SECRET_KEY and
/// tokens never reach the child, and a timeout kills the whole process tree.
/// </summary>
public sealed class ProgramRunner(ServerSettings settings)
{
    /// <summary>The only variables a child sees: enough to run ordinary tools, nothing secret.</summary>
    private static readonly string[] SafeVariables = ["LANG", "LC_ALL", "TZ"];

    public async Task<ProgramResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        if (!settings.AllowedPrograms.TryGetValue(program, out var allowed) || string.IsNullOrEmpty(allowed.Path))
        {
            return Refused($"'{Clip(program)}' is not on the allow-list. Allowed programs: {string.Join(", ", settings.AllowedPrograms.Keys.Order(StringComparer.Ordinal))}.");
        }

        var root = PathGuard.RealPath(Path.GetFullPath(settings.WorkspaceRoot));
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i] ?? string.Empty;
            if (argument.StartsWith('-') && !allowed.AllowedOptions.Contains(argument, StringComparer.Ordinal))
            {
                // Option injection: '--upload-pack=…', '-exec', '--output=/etc/…' turn a data argument into code.
                return Refused($"Argument {i} is an option that is not allowed for '{program}'. Allowed options: {string.Join(" ", allowed.AllowedOptions)}.");
            }

            if (argument.Contains('\0', StringComparison.Ordinal))
            {
                return Refused($"Argument {i} contains a NUL character.");
            }

            if (LooksLikePath(argument) && !PathGuard.TryResolve(root, argument, out _))
            {
                return Refused($"Argument {i} is a path outside the workspace.");
            }
        }

        var startInfo = new ProcessStartInfo(allowed.Path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Clear();
        startInfo.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        foreach (var name in SafeVariables)
        {
            var value = Environment.GetEnvironmentVariable(name);
            if (value is not null)
            {
                startInfo.Environment[name] = value;
            }
        }

        using var process = new Process { StartInfo = startInfo };
        process.Start();
        process.StandardInput.Close();
        var stdout = new Capture(process.StandardOutput, settings.ProgramOutputLimitBytes);
        var stderr = new Capture(process.StandardError, settings.ProgramOutputLimitBytes);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.ProgramTimeoutSeconds));
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // Kill the tree, not just the child: 'sh -c "sleep 999 &"' style grandchildren would outlive it.
            KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            timedOut = !cancellationToken.IsCancellationRequested;
            cancellationToken.ThrowIfCancellationRequested();
        }

        // A daemonized grandchild can keep the pipes open after the child exits: wait briefly, then
        // return what was read rather than hang the tool call.
        await Task.WhenAny(Task.WhenAll(stdout.Completion, stderr.Completion), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        var (outText, outCut) = stdout.Snapshot();
        var (errText, errCut) = stderr.Snapshot();
        return new ProgramResult(true, timedOut ? null : process.ExitCode, timedOut, outText, errText, outCut || errCut, timedOut ? $"Killed after {settings.ProgramTimeoutSeconds} s." : null);
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill: nothing left to stop.
        }
    }

    private static ProgramResult Refused(string error) => new(false, null, false, string.Empty, string.Empty, false, error);

    private static string Clip(string value) => value.Length <= 64 ? value : value[..64] + "…";

    private static bool LooksLikePath(string argument)
        => argument.Contains('/', StringComparison.Ordinal) || argument.Contains('\\', StringComparison.Ordinal) || argument == "..";

    /// <summary>Reads a stream to its end, keeping at most a limit of characters: the child never blocks on a full pipe, memory stays bounded.</summary>
    private sealed class Capture
    {
        private readonly StringBuilder kept = new();
        private readonly int limit;
        private bool truncated;

        public Capture(StreamReader reader, int limit)
        {
            this.limit = limit;
            Completion = ReadAsync(reader);
        }

        public Task Completion { get; }

        public (string Text, bool Truncated) Snapshot()
        {
            lock (kept)
            {
                return (kept.ToString(), truncated || !Completion.IsCompleted);
            }
        }

        private async Task ReadAsync(StreamReader reader)
        {
            var buffer = new char[8192];
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory()).ConfigureAwait(false)) > 0)
            {
                lock (kept)
                {
                    var room = limit - kept.Length;
                    if (room > 0)
                    {
                        kept.Append(buffer, 0, Math.Min(room, read));
                    }

                    truncated |= read > room;
                }
            }
        }
    }
}
