using System.Diagnostics;
using System.Text;

namespace McpSecurity.Server.Tests;

/// <summary>Runs the built server (dotnet McpServer.dll …) as a real process, as users and MCP clients do.</summary>
internal static class ServerProcess
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The McpServer.dll built next to this test assembly's configuration (Debug or Release).</summary>
    public static string ServerDll { get; } = FindServerDll();

    public sealed record Outcome(int ExitCode, string StandardOutput, string StandardError);

    /// <param name="workingDirectory">Where the command runs (the repository root by default): paths it prints are relative to it.</param>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? RepositoryRoot,
        };
        info.ArgumentList.Add(ServerDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("SECRET_KEY");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

    public static async Task<Outcome> RunAsync(IEnumerable<string> arguments, IDictionary<string, string?>? environment = null, int timeoutSeconds = 120, string? workingDirectory = null)
    {
        using var process = Process.Start(StartInfo(arguments, environment, workingDirectory))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Outcome(process.ExitCode, await stdout, await stderr);
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "McpSecurity.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("McpSecurity.sln not found above the test assembly.");
    }

    private static string FindServerDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepositoryRoot, "src", "McpServer", "bin", configuration, "net10.0", "McpServer.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"Build src/McpServer first: {path} is missing.");
    }

    public static string Describe(Outcome outcome)
    {
        var text = new StringBuilder();
        text.AppendLine($"exit {outcome.ExitCode}").AppendLine("stdout:").AppendLine(outcome.StandardOutput).AppendLine("stderr:").AppendLine(outcome.StandardError);
        return text.ToString();
    }
}
