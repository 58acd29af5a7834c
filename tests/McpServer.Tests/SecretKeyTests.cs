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
    public async Task Http_server_starts_on_loopback_with_a_32_character_SECRET_KEY_and_serves_tool_calls()
    {
        var info = ServerProcess.StartInfo(
            ["serve", "--http", "--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string?> { ["SECRET_KEY"] = new string('k', 32) });
        using var process = Process.Start(info)!;
        try
        {
            string? address = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (address is null && await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
            {
                const string marker = "Now listening on: ";
                var at = line.IndexOf(marker, StringComparison.Ordinal);
                address = at >= 0 ? line[(at + marker.Length)..].Trim() : null;
            }

            Assert.NotNull(address);
            Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
            Assert.False(process.HasExited);

            // The real Kestrel pipeline: a tool call with a token minted from the same key.
            var token = HttpServer.Token(key: new string('k', 32));
            var http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var transport = new ModelContextProtocol.Client.HttpClientTransport(
                new ModelContextProtocol.Client.HttpClientTransportOptions { Endpoint = new Uri(address + "/mcp") }, http, loggerFactory: null, ownsHttpClient: true);
            await using (var client = await ModelContextProtocol.Client.McpClient.CreateAsync(transport, cancellationToken: timeout.Token))
            {
                var result = await client.CallToolAsync("scan_code", new Dictionary<string, object?> { ["source"] = Samples.Vulnerable }, cancellationToken: timeout.Token);
                Assert.True(result.IsError != true);
            }

            using var anonymous = new HttpClient();
            using var unauthorized = await anonymous.SendAsync(HttpServer.McpRequest(path: address + "/mcp"), timeout.Token);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, unauthorized.StatusCode);
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
