using System.Diagnostics;
using System.Text;
using McpSecurity.Server.Hosting;
using Microsoft.Extensions.Configuration;

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
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var address = await ListeningAddressAsync(process);

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

    [Theory]
    [InlineData("--SECRET_KEY=command-line-key-0123456789-abcdefghijklmnop")]
    [InlineData("SECRET_KEY=command-line-key-0123456789-abcdefghijklmnop")]
    [InlineData("/SECRET_KEY=command-line-key-0123456789-abcdefghijklmnop")]
    [InlineData("--secret_key=command-line-key-0123456789-abcdefghijklmnop")]
    public async Task Http_server_refuses_a_key_given_on_the_command_line(string argument)
    {
        var outcome = await ServerProcess.RunAsync(["serve", "--http", "--urls", "http://127.0.0.1:0", argument], timeoutSeconds: 60);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("SECRET_KEY was given on the command line", outcome.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("command-line-key", outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stdio_server_refuses_a_key_given_on_the_command_line_too()
    {
        var outcome = await ServerProcess.RunAsync(["serve", "--stdio", "--SECRET_KEY", "command-line-key-0123456789-abcdefghijklmnop"], timeoutSeconds: 60);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("SECRET_KEY was given on the command line", outcome.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("command-line-key", outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_in_a_settings_file_is_refused_too()
    {
        var refused = Assert.Throws<StartupException>(() => ServerHosts.BuildHttp([], HttpServer.Key, builder =>
            builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes("""{"SECRET_KEY":"settings-file-key-0123456789-abcdefghijkl"}""")))));

        Assert.Contains("hardcoded secret", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("settings-file-key", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_running_server_no_longer_shows_SECRET_KEY_in_proc_environ()
    {
        var key = "environ-probe-" + Guid.NewGuid().ToString("N");
        var info = ServerProcess.StartInfo(
            ["serve", "--http", "--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string?> { ["SECRET_KEY"] = key, ["MCPSEC_ENVIRON_NEIGHBOUR"] = "still-here" });
        using var process = Process.Start(info)!;
        try
        {
            Assert.NotNull(await ListeningAddressAsync(process));

            // What a program started by run_program as the same user would try: read the server's environ.
            string environ;
            try
            {
                environ = Encoding.UTF8.GetString(await File.ReadAllBytesAsync($"/proc/{process.Id}/environ"));
            }
            catch (UnauthorizedAccessException)
            {
                // Non-dumpable and this test lacks CAP_SYS_PTRACE: the file cannot be read at all.
                environ = string.Empty;
            }

            Assert.DoesNotContain(key, environ, StringComparison.Ordinal);
            Assert.True(environ.Length == 0 || environ.Contains("MCPSEC_ENVIRON_NEIGHBOUR=still-here", StringComparison.Ordinal), "only SECRET_KEY is erased");
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

    private static async Task<string?> ListeningAddressAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            const string marker = "Now listening on: ";
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                return line[(at + marker.Length)..].Trim();
            }
        }

        return null;
    }
}
