using System.Net;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace McpSecurity.Server.Tests;

/// <summary>The HTTP transport's defences: bearer tokens, scopes, Origin, Host, body size and rate limits.</summary>
public sealed class HttpSecurityTests
{
    [Fact]
    public async Task A_valid_token_reaches_the_MCP_endpoint()
    {
        await using var server = await HttpServer.StartAsync();
        using var client = server.CreateClient(HttpServer.Token());

        using var response = await client.SendAsync(HttpServer.McpRequest());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("scan_code", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadTokens()
    {
        var none = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." + Base64UrlEncoder.Encode(
            $$"""{"sub":"t","scope":"mcp:tools","iss":"mcpsec","aud":"mcpsec-mcp","exp":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}""") + ".";
        var hs512 = HttpServer.Sign("""{"alg":"HS512","typ":"JWT"}""",
            $$"""{"sub":"t","scope":"mcp:tools","iss":"mcpsec","aud":"mcpsec-mcp","exp":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}""",
            new SymmetricSecurityKey(Encoding.UTF8.GetBytes(HttpServer.Key)));
        return new TheoryData<string, string>
        {
            { "bad signature", HttpServer.Token(key: "another-key-of-enough-length-0123456789-xyz") },
            { "wrong audience", HttpServer.Token(audience: "someone-else") },
            { "wrong issuer", HttpServer.Token(issuer: "evil") },
            { "expired", HttpServer.Token(lifetime: TimeSpan.FromMinutes(-10)) },
            { "alg none", none },
            { "alg not HS256 (signature valid but the algorithm is not the one allowed)", hs512 },
            { "garbage", "not.a.jwt" },
        };
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Invalid_tokens_get_401_with_WWW_Authenticate(string why, string token)
    {
        await using var server = await HttpServer.StartAsync();
        using var client = server.CreateClient(token);

        using var response = await client.SendAsync(HttpServer.McpRequest());

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, why);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_token_gets_401_with_WWW_Authenticate()
    {
        await using var server = await HttpServer.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.SendAsync(HttpServer.McpRequest());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_in_the_query_string_is_ignored_and_gets_401()
    {
        await using var server = await HttpServer.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.SendAsync(HttpServer.McpRequest(path: "/mcp?access_token=" + HttpServer.Token()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_token_without_the_tools_scope_gets_403()
    {
        await using var server = await HttpServer.StartAsync();
        using var client = server.CreateClient(HttpServer.Token(scopes: "profile"));

        using var response = await client.SendAsync(HttpServer.McpRequest());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Run_program_without_its_own_scope_gets_403()
    {
        await using var server = await HttpServer.StartAsync();
        using var client = server.CreateClient(HttpServer.Token(scopes: "mcp:tools"));

        using var response = await client.SendAsync(HttpServer.McpRequest(
            """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"run_program","arguments":{"program":"echo","arguments":["hi"]}}}"""));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("insufficient_scope", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_program_with_its_scope_runs()
    {
        await using var server = await HttpServer.StartAsync();
        using var client = server.CreateClient(HttpServer.Token(scopes: "mcp:tools mcp:run"));

        using var response = await client.SendAsync(HttpServer.McpRequest(
            """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"run_program","arguments":{"program":"echo","arguments":["hi; id"]}}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("hi; id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_foreign_Origin_gets_403_and_an_allowed_one_passes()
    {
        await using var server = await HttpServer.StartAsync();
        using var client = server.CreateClient(HttpServer.Token());

        using var foreign = HttpServer.McpRequest();
        foreign.Headers.Add("Origin", "http://evil.example");
        using var foreignResponse = await client.SendAsync(foreign);
        using var allowed = HttpServer.McpRequest();
        allowed.Headers.Add("Origin", "http://localhost:6274");
        using var allowedResponse = await client.SendAsync(allowed);

        Assert.Equal(HttpStatusCode.Forbidden, foreignResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowedResponse.StatusCode);
    }

    [Fact]
    public async Task A_foreign_Host_gets_400()
    {
        await using var server = await HttpServer.StartAsync();
        using var client = server.CreateClient(HttpServer.Token());

        using var request = HttpServer.McpRequest();
        request.Headers.Host = "attacker.example";
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_oversized_body_gets_413()
    {
        await using var server = await HttpServer.StartAsync(new Dictionary<string, string?> { ["McpServer:MaxRequestBodyBytes"] = "1000" });
        using var client = server.CreateClient(HttpServer.Token());

        using var response = await client.SendAsync(HttpServer.McpRequest(
            """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"scan_code","arguments":{"source":" """ + new string('a', 5000) + """ "}}}"""));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Too_many_requests_get_429()
    {
        await using var server = await HttpServer.StartAsync(new Dictionary<string, string?> { ["McpServer:RequestsPerMinute"] = "3" });
        using var client = server.CreateClient(HttpServer.Token());

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.SendAsync(HttpServer.McpRequest());
            codes.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429, (HttpStatusCode)429], codes);
    }

    [Fact]
    public async Task A_failing_tool_returns_a_correlation_id_and_leaks_the_secret_nowhere()
    {
        await using var server = await HttpServer.StartAsync();
        using var client = server.CreateClient(HttpServer.Token());

        using var response = await client.SendAsync(HttpServer.McpRequest(
            """{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"explode","arguments":{"apiKey":" """.TrimEnd() + HttpServer.LeakedSecret + "\"}}}"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Correlation id", body, StringComparison.Ordinal);
        Assert.Contains("\"isError\":true", body, StringComparison.Ordinal);
        Assert.DoesNotContain(HttpServer.LeakedSecret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Upstream rejected", body, StringComparison.Ordinal);
        Assert.DoesNotContain(HttpServer.LeakedSecret, server.Logs.All, StringComparison.Ordinal);
        Assert.Contains("apiKey", server.Logs.All, StringComparison.Ordinal);
        Assert.Contains("explode", server.Logs.All, StringComparison.Ordinal);
    }
}
