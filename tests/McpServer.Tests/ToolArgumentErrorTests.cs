namespace McpSecurity.Server.Tests;

/// <summary>A wrong-typed or missing argument gets an error naming the argument and what it expects, never its value.</summary>
public sealed class ToolArgumentErrorTests
{
    [Theory]
    [InlineData("scan_code", """{"source":{"apiKey":"sk-live-SECRET-VALUE-1"}}""", "Argument 'source' must be a string, not an object.")]
    [InlineData("scan_code", """{"minimumSeverity":"error"}""", "Argument 'source' is required: expected a string.")]
    [InlineData("scan_code", """{"source":"class A {}","minimumSeverity":5}""", "Argument 'minimumSeverity' must be a string or null, not a number.")]
    [InlineData("fix_code", """{"source":"class A {}","rules":["MCPSEC201",7]}""", "Argument 'rules' item 1 must be a string or null, not a number.")]
    [InlineData("fix_code", """{"source":"class A {}","rules":"MCPSEC201"}""", "Argument 'rules' must be an array of strings or null, not a string.")]
    [InlineData("explain_rule", """{"id":true}""", "Argument 'id' must be a string, not a boolean.")]
    [InlineData("run_program", """{"program":"echo","arguments":[{"token":"sk-live-SECRET-VALUE-1"}]}""", "Argument 'arguments' item 0 must be a string or null, not an object.")]
    public async Task Names_the_argument_and_the_expected_type(string tool, string arguments, string expected)
    {
        await using var server = await HttpServer.StartAsync();
        using var client = server.CreateClient(HttpServer.Token(scopes: "mcp:tools mcp:run"));

        using var response = await client.SendAsync(HttpServer.McpRequest(
            """{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":" """.TrimEnd() + tool + "\",\"arguments\":" + arguments + "}}"));
        var body = await response.Content.ReadAsStringAsync();
        var result = (await HttpServer.ReadJsonRpcAsync(response)).GetProperty("result");

        Assert.True(result.GetProperty("isError").GetBoolean(), body);
        Assert.Equal($"Invalid arguments for '{tool}': {expected}", result.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.DoesNotContain("SECRET-VALUE", body, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-VALUE", server.Logs.All, StringComparison.Ordinal);
    }
}
