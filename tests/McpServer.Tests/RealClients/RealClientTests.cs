using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace McpSecurity.Server.Tests.RealClients;

/// <summary>
/// The server as clients we did not write see it: the official TypeScript SDK client over stdio and
/// HTTP (it validates every structuredContent against the tool's outputSchema), and the MCP
/// conformance suite's server scenarios over HTTP. Both come from pinned npm packages.
/// </summary>
[Collection(RealClientCollection.Name)]
public sealed class RealClientTests(RealClientFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] ToolNames = ["list_rules", "explain_rule", "scan_code", "scan_path", "fix_code", "run_program"];

    [Fact]
    public async Task TypeScript_client_calls_every_tool_over_stdio()
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var summary = await fixture.Clients.RunScriptAsync(
            "ts-client.mjs",
            new
            {
                transport = "stdio",
                command = "dotnet",
                args = new[] { ServerProcess.ServerDll, "serve", "--stdio" }.Concat(fixture.ServerSettings),
                cwd = fixture.WorkspaceRoot,
                source = Samples.Vulnerable,
                scanPath = RealClientFixture.VulnerableFile,
            },
            new Dictionary<string, string?>(),
            TimeSpan.FromMinutes(3));
        output.WriteLine($"{summary["transport"]}: {stopwatch.Elapsed.TotalSeconds:0.0} s\n{string.Join("\n", fixture.Timings)}");

        AssertEveryToolWorks(summary);
    }

    [Fact]
    public async Task TypeScript_client_calls_every_tool_over_http_with_a_bearer_token()
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var summary = await fixture.Clients.RunScriptAsync(
            "ts-client.mjs",
            new { transport = "http", url = fixture.Http.Url, source = Samples.Vulnerable, scanPath = RealClientFixture.VulnerableFile },
            new Dictionary<string, string?> { ["MCPSEC_TOKEN"] = await LiveHttpServer.MintTokenAsync("mcp:tools mcp:run") },
            TimeSpan.FromMinutes(3));
        output.WriteLine($"{summary["transport"]}: {stopwatch.Elapsed.TotalSeconds:0.0} s\n{string.Join("\n", fixture.Timings)}");

        AssertEveryToolWorks(summary);
    }

    [Fact]
    public async Task TypeScript_client_without_a_token_discovers_how_to_authenticate()
    {
        var summary = await fixture.Clients.RunScriptAsync("ts-client.mjs", new { transport = "discover", url = fixture.Http.Url }, new Dictionary<string, string?>(), TimeSpan.FromMinutes(1));
        var discovery = summary["discovery"]!;
        output.WriteLine(discovery.ToJsonString());

        // MCP authorization: the 401 names the protected-resource metadata (RFC 9728), which a client
        // fetches and trusts only when its resource is this server.
        Assert.True(discovery["error"] is null, $"discovery failed: {discovery.ToJsonString()}");
        Assert.Equal(401, (int)discovery["status"]!);
        Assert.NotNull(discovery["resourceMetadataUrl"]);
        Assert.True((bool)discovery["resourceAllowed"]!, $"the metadata's resource does not name {fixture.Http.Url}: {discovery["metadata"]?.ToJsonString()}");
    }

    public static TheoryData<string> Scenarios() => new(RealClientFixture.ApplicableScenarios);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public Task Conformance_scenario_passes_over_http(string scenario) => AssertScenarioPasses(scenario, stateful: false);

    // With sessions the suite can test what stateless HTTP leaves it nothing to test (several SSE
    // streams on one session), so here every check must succeed, with no warning tolerated.
    [Theory]
    [MemberData(nameof(Scenarios))]
    public Task Conformance_scenario_passes_over_http_with_sessions(string scenario) => AssertScenarioPasses(scenario, stateful: true);

    private async Task AssertScenarioPasses(string scenario, bool stateful)
    {
        var summary = await fixture.ConformanceAsync(stateful);
        var result = summary["scenarios"]![scenario]!;
        output.WriteLine($"conformance on node {summary["nodeVersion"]}: {scenario}\n{result.ToJsonString()}\n{string.Join("\n", fixture.Timings)}");

        var checks = result["checks"]!.AsArray();
        Assert.True(checks.Count > 0, $"{scenario} made no checks:\n{result["output"]}");
        foreach (var check in checks)
        {
            var status = (string)check!["status"]!;
            var id = (string)check["id"]!;

            // Stateless HTTP (no Mcp-Session-Id, so any instance can answer any request) leaves this
            // scenario nothing to test; it says so with this one warning. The TypeScript client tests
            // check the same thing without a session: several requests in flight at once all answered.
            if (!stateful && status == "WARNING" && id == "server-sse-multiple-streams-session")
            {
                continue;
            }

            Assert.True(status is "SUCCESS" or "INFO", $"{scenario}: check {id} is {status}: {check["errorMessage"]}\n{check["details"]?.ToJsonString()}");
        }

        Assert.Equal(0, (int)result["exitCode"]!);
    }

    private static void AssertEveryToolWorks(JsonNode summary)
    {
        var tools = summary["tools"]!.AsArray();
        Assert.Equal(ToolNames.Order(), tools.Select(tool => (string)tool!["name"]!).Order());
        Assert.All(tools, tool => Assert.True((bool)tool!["hasOutputSchema"]!, $"{tool["name"]} has no outputSchema"));
        Assert.NotNull(summary["capabilities"]!["tools"]);

        var calls = summary["calls"]!;
        var rules = Succeeded(calls, "list_rules")["result"]!.AsArray();
        Assert.Contains("MCPSEC201", rules.Select(rule => (string)rule!["id"]!));

        Assert.Equal("MCPSEC202", (string)Succeeded(calls, "explain_rule")["id"]!);
        Assert.Contains("list_rules", Refused(calls, "explain_rule_unknown"), StringComparison.Ordinal);

        var scan = Succeeded(calls, "scan_code");
        Assert.Equal(["MCPSEC201", "MCPSEC202"], scan["findings"]!.AsArray().Select(finding => (string)finding!["id"]!));

        var fix = Succeeded(calls, "fix_code");
        Assert.DoesNotContain("catch { return 0; }", (string)fix["fixedSource"]!, StringComparison.Ordinal);
        Assert.StartsWith("--- a/", (string)fix["diff"]!, StringComparison.Ordinal);
        Assert.Empty(fix["unfixed"]!.AsArray());

        var path = Succeeded(calls, "scan_path");
        Assert.Equal(1, (int)path["filesScanned"]!);
        Assert.Equal(
            [(RealClientFixture.VulnerableFile, "MCPSEC201"), (RealClientFixture.VulnerableFile, "MCPSEC202")],
            path["findings"]!.AsArray().Select(finding => ((string)finding!["file"]!, (string)finding["id"]!)));
        Assert.Contains("workspace root", Refused(calls, "scan_path_escape"), StringComparison.Ordinal);

        // Shell syntax reaches echo as plain text: no shell between the agent and the program.
        var run = Succeeded(calls, "run_program");
        Assert.Equal(0, (int)run["exitCode"]!);
        Assert.Equal("$(id) ; uname\n", (string)run["standardOutput"]!);
        Assert.NotEmpty(Refused(calls, "run_program_refused"));

        Assert.All(summary["concurrent"]!.AsArray(), answer => Assert.Equal("ok", (string)answer!));
        Assert.Empty(Succeeded(summary, "ping").AsObject());
    }

    /// <summary>The call returned a result the client accepted (no -32602 for a schema mismatch) that is not an error; its structuredContent.</summary>
    private static JsonNode Succeeded(JsonNode calls, string name)
    {
        var call = calls[name]!;
        Assert.False((bool)call["threw"]!, $"{name}: the TypeScript client rejected the answer: {call["error"]?.ToJsonString()}");
        Assert.False((bool)call["isError"]!, $"{name}: {call["text"]}");
        return call["structured"] ?? throw new Xunit.Sdk.XunitException($"{name}: no structuredContent");
    }

    /// <summary>The call came back as a tool error (isError: true) the client accepted; its text.</summary>
    private static string Refused(JsonNode calls, string name)
    {
        var call = calls[name]!;
        Assert.False((bool)call["threw"]!, $"{name}: the TypeScript client rejected the answer: {call["error"]?.ToJsonString()}");
        Assert.True((bool)call["isError"]!, $"{name} should be refused with isError: true, got {call["structured"]?.ToJsonString()}");
        return (string?)call["text"] ?? string.Empty;
    }
}
