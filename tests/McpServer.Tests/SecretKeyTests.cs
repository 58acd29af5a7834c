using System.Diagnostics;
using McpSecurity.Server.Hosting;

namespace McpSecurity.Server.Tests;

/// <summary>Guide S1: the HTTP server has no default key and fails fast, with a message that says what to do.</summary>
public sealed class SecretKeyTests
{
    [Fact]
    public async Task Http_server_refuses_to_start_without_SECRET_KEY()
    {
        var outcome = await ServerProcess.RunAsync(["serve", "--http", "--urls", "http://127.0.0.1:0"]);

        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains("SECRET_KEY", outcome.StandardError, StringComparison.Ordinal);
        Assert.Contains("openssl rand", outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_server_refuses_a_SECRET_KEY_shorter_than_32_characters()
    {
        var outcome = await ServerProcess.RunAsync(
            ["serve", "--http", "--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string?> { ["SECRET_KEY"] = new string('k', 31) });

        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains("SECRET_KEY is too short", outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_server_starts_on_loopback_with_a_valid_SECRET_KEY()
    {
        var info = ServerProcess.StartInfo(
            ["serve", "--http", "--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string?> { ["SECRET_KEY"] = new string('k', 32) });
        using var process = Process.Start(info)!;
        try
        {
            var listening = false;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (!listening && await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
            {
                listening = line.Contains("Now listening on: http://127.0.0.1:", StringComparison.Ordinal);
            }

            Assert.True(listening, "the server did not report listening on 127.0.0.1");
            Assert.False(process.HasExited);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public void Token_command_needs_the_key_too()
    {
        Assert.False(SecretKey.TryCreate(null, out _, out var missing));
        Assert.Contains("SECRET_KEY is not set", missing, StringComparison.Ordinal);
        Assert.False(SecretKey.TryCreate("   ", out _, out _));
        Assert.True(SecretKey.TryCreate(new string('x', 32), out var key, out _));
        Assert.NotNull(key);
    }
}
