using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Server.Hosting;
using ModelContextProtocol;

namespace McpSecurity.Server.Tools;

/// <summary>The outcome of run_program. A refused request is not a result: it is an isError answer with the reason.</summary>
public sealed record ProgramResult(
    // Written even when null: the output schema lists every property as required, and a client that
    // validates (the TypeScript SDK does) rejects a result where one is missing.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    [property: Description("Exit code, or null when the program was killed on timeout.")] int? ExitCode,
    [property: Description("True when the program ran past the time limit and was killed with its child processes.")] bool TimedOut,
    [property: Description("Standard output, cut at the output limit.")] string StandardOutput,
    [property: Description("Standard error, cut at the output limit.")] string StandardError,
    [property: Description("True when output was cut at the limit.")] bool OutputTruncated);

/// <summary>run_program refused to start a program; the message says why without quoting the arguments.</summary>
public sealed class ProgramRefusedException(string message) : McpException(message);

/// <summary>
/// Starts allow-listed programs without a shell (guide S4): the executable comes from configuration,
/// arguments go one by one into ArgumentList, the environment is rebuilt from nothing so SECRET_KEY and
/// tokens never reach the child, and the child leads its own process group, which is killed when the
/// program ends or times out, so nothing it started in the background outlives it.
/// </summary>
public sealed class ProgramRunner(ServerSettings settings)
{
    /// <summary>The only variables a child sees: enough to run ordinary tools, nothing secret.</summary>
    private static readonly string[] SafeVariables = ["LANG", "LC_ALL", "TZ"];

    /// <summary>
    /// util-linux setsid: called from a process that is not a group leader (a child .NET just forked
    /// never is), it calls setsid() and execs the program in place, so the child's pid is its group id.
    /// </summary>
    private static readonly string? SetsidPath = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <summary>Any "scheme:" prefix chain ending in file: (file:///etc/passwd, jar:file:/x).</summary>
    private static readonly Regex FileUrl = new("^([a-z][a-z0-9+.-]*:)*file:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public async Task<ProgramResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        if (!settings.AllowedPrograms.TryGetValue(program, out var allowed) || string.IsNullOrEmpty(allowed.Path))
        {
            throw new ProgramRefusedException($"'{Clip(program)}' is not on the allow-list. Allowed programs: {string.Join(", ", settings.AllowedPrograms.Keys.Order(StringComparer.Ordinal))}.");
        }

        if (!File.Exists(allowed.Path))
        {
            // Checked here because setsid would start and report the failure as an ordinary exit code: a
            // misconfigured allow-list is the operator's fault, logged with a correlation id, not the caller's.
            throw new FileNotFoundException("An allow-listed program's configured path does not exist.");
        }

        var root = PathGuard.RealPath(Path.GetFullPath(settings.WorkspaceRoot));
        for (var i = 0; i < arguments.Count; i++)
        {
            CheckArgument(program, allowed, root, i, arguments[i] ?? string.Empty);
        }

        var startInfo = new ProcessStartInfo(SetsidPath ?? allowed.Path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
            CreateNoWindow = true,
        };
        if (SetsidPath is not null)
        {
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(allowed.Path);
        }

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
        var groupId = SetsidPath is null ? 0 : process.Id;
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
            KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            timedOut = !cancellationToken.IsCancellationRequested;
        }
        finally
        {
            // The program has ended: whatever it left running in its group ('sh -c "sleep 999 &"') ends
            // with it. A daemon that calls setsid() itself leaves the group and is out of reach.
            LinuxProcess.KillProcessGroup(groupId);
        }

        cancellationToken.ThrowIfCancellationRequested();

        // A grandchild that left the group can keep the pipes open after the child exits: wait briefly,
        // then return what was read rather than hang the tool call.
        await Task.WhenAny(Task.WhenAll(stdout.Completion, stderr.Completion), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        var (outText, outCut) = stdout.Snapshot();
        var (errText, errCut) = stderr.Snapshot();
        return new ProgramResult(timedOut ? null : process.ExitCode, timedOut, outText, errText, outCut || errCut);
    }

    /// <summary>
    /// Refuses an argument that injects an option or names a file outside the workspace, in any of the
    /// forms a program reads a file name from: the whole argument, the value of key=value
    /// ('dd if=/proc/1/environ') and --option=value, an @file reference (curl -d @/etc/passwd), and file: URLs.
    /// </summary>
    private static void CheckArgument(string program, AllowedProgram allowed, string root, int index, string argument)
    {
        if (argument.Contains('\0', StringComparison.Ordinal))
        {
            throw new ProgramRefusedException($"Argument {index} contains a NUL character.");
        }

        var exactlyAllowed = allowed.AllowedOptions.Contains(argument, StringComparer.Ordinal);
        if (argument.StartsWith('-') && !exactlyAllowed)
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 || !allowed.AllowedOptions.Contains(argument[..equals], StringComparer.Ordinal))
            {
                // Option injection: '--upload-pack=…', '-exec', '--output=/etc/…' turn a data argument into code.
                throw new ProgramRefusedException($"Argument {index} is an option that is not allowed for '{program}'. Allowed options: {string.Join(" ", allowed.AllowedOptions)}.");
            }
        }

        if (exactlyAllowed)
        {
            return;
        }

        foreach (var candidate in FileNameCandidates(argument))
        {
            if (FileUrl.IsMatch(candidate))
            {
                throw new ProgramRefusedException($"Argument {index} is a file: URL; name files by a path inside the workspace.");
            }

            if ((LooksLikePath(candidate) || NamesExistingEntry(root, candidate)) && !PathGuard.TryResolve(root, candidate, out _))
            {
                throw new ProgramRefusedException($"Argument {index} is a path outside the workspace.");
            }
        }
    }

    private static IEnumerable<string> FileNameCandidates(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        string[] forms = equals < 0 ? [argument] : [argument, argument[(equals + 1)..]];
        foreach (var form in forms)
        {
            if (form.Length > 0)
            {
                yield return form;
            }

            if (form.Length > 1 && form[0] == '@')
            {
                yield return form[1..];
            }
        }
    }

    /// <summary>
    /// A bare name ('evil') is a path when something by that name exists in the workspace, the program's
    /// working directory: a symlink 'evil -> /etc/passwd' carries no '/' in the argument.
    /// </summary>
    private static bool NamesExistingEntry(string root, string candidate)
    {
        if (Path.IsPathRooted(candidate))
        {
            return true;
        }

        var full = Path.Combine(root, candidate);
        return File.Exists(full) || Directory.Exists(full) || new FileInfo(full).LinkTarget is not null;
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
