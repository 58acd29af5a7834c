using System.Net;
using System.Text.Json;

namespace McpSecurity.Server.Tests;

/// <summary>
/// What spec-following clients rely on: protected-resource metadata (RFC 9728) named in every 401, tools a
/// token cannot call left out of tools/list, loopback origins for local browser clients, Retry-After on 429.
/// </summary>
public sealed class AuthDiscoveryTests
{
    private const string MetadataUrl = "http://localhost/.well-known/oauth-protected-resource/mcp";

    [Fact]
    public async Task A_401_names_the_resource_metadata_which_is_served_without_a_token()
    {
        await using var server = await HttpServer.StartAsync(new Dictionary<string, string?> { ["McpServer:AuthorizationServers:0"] = "https://login.invalid/" });
        using var client = server.CreateClient();

        using var unauthorized = await client.SendAsync(HttpServer.McpRequest());
        using var metadataResponse = await client.GetAsync(MetadataUrl);
        using var metadata = JsonDocument.Parse(await metadataResponse.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Contains($"resource_metadata=\"{MetadataUrl}\"", unauthorized.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, metadataResponse.StatusCode);
        Assert.Equal("http://localhost/mcp", metadata.RootElement.GetProperty("resource").GetString());
        Assert.Equal(["mcp:tools", "mcp:run"], metadata.RootElement.GetProperty("scopes_supported").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["https://login.invalid/"], metadata.RootElement.GetProperty("authorization_servers").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Run_program_is_listed_only_to_tokens_with_its_scope()
    {
        await using var server = await HttpServer.StartAsync();
        using var toolsOnly = server.CreateClient(HttpServer.Token(scopes: "mcp:tools"));
        using var withRun = server.CreateClient(HttpServer.Token(scopes: "mcp:tools mcp:run"));

        var hidden = await ToolNamesAsync(toolsOnly);
        var shown = await ToolNamesAsync(withRun);

        Assert.DoesNotContain("run_program", hidden);
        Assert.Contains("scan_code", hidden);
        Assert.Contains("run_program", shown);
    }

    [Fact]
    public async Task A_direct_call_without_the_scope_still_gets_403_naming_the_scope_and_the_metadata()
    {
        await using var server = await HttpServer.StartAsync();
        using var client = server.CreateClient(HttpServer.Token(scopes: "mcp:tools"));

        using var response = await client.SendAsync(HttpServer.McpRequest(
            """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"run_program","arguments":{"program":"echo","arguments":["hi"]}}}"""));

        var header = response.Headers.WwwAuthenticate.ToString();
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", header, StringComparison.Ordinal);
        Assert.Contains("scope=\"mcp:run\"", header, StringComparison.Ordinal);
        Assert.Contains($"resource_metadata=\"{MetadataUrl}\"", header, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:6274", true)]
    [InlineData("http://localhost:3000", true)]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://[::1]:9000", true)]
    [InlineData("http://localhost", true)]
    [InlineData("http://localhost.evil.example:3000", false)]
    [InlineData("http://evil.example", false)]
    [InlineData("http://127.0.0.1.nip.io:80", false)]
    [InlineData("http://user@localhost:3000", false)]
    [InlineData("http://localhost:3000/path", false)]
    [InlineData("null", false)]
    [InlineData("file://", false)]
    public async Task Loopback_origins_pass_on_a_loopback_server_and_others_get_403(string origin, bool allowed)
    {
        await using var server = await HttpServer.StartAsync(new Dictionary<string, string?> { ["McpServer:AllowedOrigins:0"] = null });
        using var client = server.CreateClient(HttpServer.Token());

        using var request = HttpServer.McpRequest();
        request.Headers.TryAddWithoutValidation("Origin", origin);
        using var response = await client.SendAsync(request);

        Assert.Equal(allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("urls", "http://0.0.0.0:5057")]
    [InlineData("McpServer:AllowLoopbackOrigins", "false")]
    public async Task Loopback_origins_get_403_when_the_server_is_reachable_from_elsewhere_or_told_so(string key, string value)
    {
        await using var server = await HttpServer.StartAsync(new Dictionary<string, string?> { [key] = value });
        using var client = server.CreateClient(HttpServer.Token());

        using var request = HttpServer.McpRequest();
        request.Headers.Add("Origin", "http://localhost:3000");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_429_says_when_to_retry()
    {
        await using var server = await HttpServer.StartAsync(new Dictionary<string, string?> { ["McpServer:RequestsPerMinute"] = "1" });
        using var client = server.CreateClient(HttpServer.Token());

        using var first = await client.SendAsync(HttpServer.McpRequest());
        using var limited = await client.SendAsync(HttpServer.McpRequest());

        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        var seconds = limited.Headers.RetryAfter?.Delta?.TotalSeconds;
        Assert.NotNull(seconds);
        Assert.InRange(seconds.Value, 1, 60);
        Assert.Contains("\"error\"", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<List<string?>> ToolNamesAsync(HttpClient client)
    {
        using var response = await client.SendAsync(HttpServer.McpRequest());
        var message = await HttpServer.ReadJsonRpcAsync(response);
        return message.GetProperty("result").GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
    }
}
