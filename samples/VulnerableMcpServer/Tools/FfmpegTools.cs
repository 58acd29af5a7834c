using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using ModelContextProtocol.Server;

namespace VulnerableMcpServer.Tools;

/// <summary>The guide's tools/media_tools/ffmpeg_edit: cut and probe media files under the media root.</summary>
[McpServerToolType]
public sealed class FfmpegTools(IConfiguration configuration, ILogger<FfmpegTools> logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static readonly string[] ChildEnvironment = ["PATH", "HOME", "LANG", "TMPDIR", "TEMP", "TMP", "SystemRoot"];

    [McpServerTool(Name = "ffmpeg_edit", Destructive = false)] // planted: MCPSEC610 ffmpeg -y overwrites the clip file, and a process may do anything
    [Description("Cuts a clip out of a media file with ffmpeg (stream copy, no re-encoding) and writes it next to the original.")]
    public async Task<EditResult> EditAsync(
        [Description("The media file, relative to the media root.")] string input,
        [Description("Start of the clip, in seconds.")] double startSeconds,
        [Description("Length of the clip, in seconds.")] double durationSeconds,
        CancellationToken cancellationToken)
    {
        var source = ResolveMediaPath(input);
        var output = Path.Combine(
            Path.GetDirectoryName(source)!,
            $"{Path.GetFileNameWithoutExtension(source)}.clip{Path.GetExtension(source)}");
        try
        {
            var (exitCode, _, error) = await RunAsync(
                "ffmpeg",
                ["-y", "-ss", startSeconds.ToString(CultureInfo.InvariantCulture), "-t", durationSeconds.ToString(CultureInfo.InvariantCulture), "-i", source, "-c", "copy", output],
                cancellationToken);
            return exitCode == 0
                ? EditResult.Succeeded(Path.GetFileName(output))
                : EditResult.Failed($"ffmpeg exited with code {exitCode}: {error.Split('\n').LastOrDefault(line => line.Length > 0)}");
        }
        catch (Exception ex)
        {
            // Correct: the exception goes to the log with its stack trace; the client gets a generic error.
            logger.LogError(ex, "ffmpeg_edit failed for {Input}", Path.GetFileName(source));
            return EditResult.Failed("ffmpeg could not be run; the server log has the details.");
        }
    }

    [McpServerTool(Name = "ffmpeg_probe", ReadOnly = true)] // planted: MCPSEC610 ffprobe only reads, but a client approves a read-only tool's process launch unseen
    [Description("Reports the format, duration and streams of a media file, as ffprobe's JSON.")]
    public async Task<string> ProbeAsync(
        [Description("The media file, relative to the media root.")] string input,
        CancellationToken cancellationToken)
    {
        try
        {
            var (_, json, _) = await RunAsync(
                "ffprobe",
                ["-v", "error", "-show_format", "-show_streams", "-of", "json", ResolveMediaPath(input)],
                cancellationToken);
            return json;
        }
        catch (Exception ex) { return "Error: " + ex.Message; } // planted: MCPSEC203 the log gets nothing // planted: MCPSEC503 (warning) the client gets the raw message
    }

    private string ResolveMediaPath(string relativePath)
    {
        var root = Path.GetFullPath(configuration["Media:Root"] ?? "media");
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("The file must be under the media root.", nameof(relativePath));
        }

        return full;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // ffmpeg gets only what it needs to run: SECRET_KEY and the server's tokens stay in the server.
        startInfo.Environment.Clear();
        foreach (var name in ChildEnvironment)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                startInfo.Environment[name] = value;
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"'{program}' could not be started.");
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}

public sealed record EditResult(bool Success, string? OutputFile, string? Error)
{
    public static EditResult Succeeded(string outputFile) => new(true, outputFile, null);

    public static EditResult Failed(string error) => new(false, null, error);
}
