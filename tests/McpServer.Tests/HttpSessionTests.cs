using System.Text;
using McpSecurity.Server.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace McpSecurity.Server.Tests;

/// <summary>McpServer:HttpSessionMode: stateless by default, SDK sessions when configured, each bound to its user.</summary>
public sealed class HttpSessionTests
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";
    private const string ExplainRule = """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"explain_rule","arguments":{"id":"MCPSEC201"}}}""";

    [Fact]
    public async Task Stateless_by_default_hands_out_no_session()
    {
        await using var server = await HttpServer.StartAsync();
        using var client = server.CreateClient(HttpServer.Token());

        using var response = await client.SendAsync(HttpServer.McpRequest(Initialize));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Mcp-Session-Id"));
    }

    [Fact]
    public async Task Stateful_mode_opens_a_session_that_later_calls_reuse_and_only_its_user_may_use()
    {
        await using var server = await HttpServer.StartAsync(new Dictionary<string, string?> { ["McpServer:HttpSessionMode"] = "Stateful" });
        using var owner = server.CreateClient(HttpServer.Token());
        using var other = server.CreateClient(TokenFor("mallory"));

        using var opened = await owner.SendAsync(HttpServer.McpRequest(Initialize));
        var sessionId = Assert.Single(opened.Headers.GetValues("Mcp-Session-Id"));
        using var call = await owner.SendAsync(WithSession(HttpServer.McpRequest(ExplainRule), sessionId));
        var body = await call.Content.ReadAsStringAsync();
        using var stolen = await other.SendAsync(WithSession(HttpServer.McpRequest(ExplainRule), sessionId));
        using var unknown = await owner.SendAsync(WithSession(HttpServer.McpRequest(ExplainRule), "not-a-session"));

        Assert.Equal(System.Net.HttpStatusCode.OK, call.StatusCode);
        Assert.Contains("MCPSEC201", body, StringComparison.Ordinal);
        Assert.False(stolen.IsSuccessStatusCode, $"another user's token used the session: {(int)stolen.StatusCode}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static HttpRequestMessage WithSession(HttpRequestMessage request, string sessionId)
    {
        request.Headers.Add("Mcp-Session-Id", sessionId);
        return request;
    }

    private static string TokenFor(string subject)
        => TokenIssuer.Create(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(HttpServer.Key)), "mcpsec", "mcpsec-mcp", subject, [Scopes.Tools], TimeSpan.FromMinutes(5));
}
