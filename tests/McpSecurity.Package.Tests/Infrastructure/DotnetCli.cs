using System.Diagnostics;
using System.Text;

namespace McpSecurity.Package.Tests.Infrastructure;

/// <summary>The outcome of one <c>dotnet</c> process: its command line, exit code and output.</summary>
public sealed record DotnetRun(string CommandLine, int ExitCode, string Output, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The diagnostics in the output, once each (MSBuild repeats them in its summary).</summary>
    public IReadOnlyList<BuildDiagnostic> Diagnostics => BuildDiagnostic.Parse(Output);

    /// <summary>For assertion messages: what ran, how it ended, and the end of what it printed.</summary>
    public override string ToString()
    {
        const int Tail = 12_000;
        var output = Output.Length > Tail ? "…" + Output[^Tail..] : Output;
        return $"{CommandLine}{Environment.NewLine}exit code {ExitCode} after {Elapsed.TotalSeconds:0.0} s{Environment.NewLine}{output}";
    }
}

/// <summary>
/// Runs the real <c>dotnet</c> CLI as a child process, isolated from the test run's own build:
/// no node reuse, no build servers, no telemetry, English output, and none of the MSBuild
/// variables the test host inherits from the <c>dotnet test</c> that started it.
/// </summary>
public static class DotnetCli
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(8);

    /// <summary>Options that stop a build from leaving MSBuild nodes or compiler servers behind.</summary>
    public static readonly string[] IsolatedBuildOptions = ["-nodeReuse:false", "--disable-build-servers", "-tl:off"];

    private static readonly Dictionary<string, string> ChildEnvironment = new()
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["DOTNET_GENERATE_ASPNET_CERTIFICATE"] = "false",
        ["DOTNET_CLI_UI_LANGUAGE"] = "en",
        ["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["NUGET_XMLDOC_MODE"] = "skip",
    };

    public static Task<DotnetRun> RunAsync(string workingDirectory, IEnumerable<string> arguments, TimeSpan? timeout = null)
        => RunProgramAsync(DotnetExecutable(), workingDirectory, arguments, timeout);

    /// <summary>
    /// Runs an installed .NET tool's command (an apphost) with the same isolation; <c>DOTNET_ROOT</c>
    /// points it at the runtime of the <c>dotnet</c> running the tests.
    /// </summary>
    public static Task<DotnetRun> RunToolAsync(string toolPath, string workingDirectory, IEnumerable<string> arguments, TimeSpan? timeout = null)
        => RunProgramAsync(toolPath, workingDirectory, arguments, timeout);

    public static string? DotnetRoot()
    {
        var dotnet = DotnetExecutable();
        var resolved = Path.IsPathRooted(dotnet)
            ? dotnet
            : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
                .Select(folder => Path.Combine(folder, dotnet)).FirstOrDefault(File.Exists);
        return resolved is null ? null : Path.GetDirectoryName(new FileInfo(resolved).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? resolved);
    }

    private static async Task<DotnetRun> RunProgramAsync(string fileName, string workingDirectory, IEnumerable<string> arguments, TimeSpan? timeout)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The test host runs under `dotnet test`, whose MSBuild variables would point the child at
        // the parent's build; the child finds its own SDK.
        foreach (var key in startInfo.Environment.Keys.ToList())
        {
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                startInfo.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in ChildEnvironment)
        {
            startInfo.Environment[key] = value;
        }

        if (DotnetRoot() is { } dotnetRoot)
        {
            startInfo.Environment["DOTNET_ROOT"] = dotnetRoot;
        }

        var commandLine = Path.GetFileNameWithoutExtension(fileName) + " " + string.Join(' ', startInfo.ArgumentList.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));
        var output = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var cancellation = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"Timed out after {stopwatch.Elapsed.TotalSeconds:0} s: {commandLine}{Environment.NewLine}{Snapshot(output)}");
        }

        // WaitForExitAsync returns once the process and its redirected streams have ended.
        return new DotnetRun(commandLine, process.ExitCode, Snapshot(output), stopwatch.Elapsed);
    }

    private static string DotnetExecutable()
        => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
