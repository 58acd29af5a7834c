using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit.Abstractions;

namespace McpSecurity.Server.Tests;

/// <summary>Tool calls through the SDK's own client, over both transports, against the real server.</summary>
public sealed class EndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Tools_work_over_stdio_with_the_real_process()
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "mcpsec",
            Command = "dotnet",
            Arguments = [ServerProcess.ServerDll, "serve", "--stdio", $"--McpServer:WorkspaceRoot={ServerProcess.RepositoryRoot}"],
            WorkingDirectory = ServerProcess.RepositoryRoot,
        });
        await using var client = await McpClient.CreateAsync(transport);

        await ExerciseAsync(client, "stdio");
    }

    [Fact]
    public async Task A_tool_failing_over_stdio_reports_a_correlation_id_and_keeps_arguments_out_of_the_log()
    {
        const string secret = "sk-live-STDIO-SECRET-ARGUMENT-0042";
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "mcpsec",
            Command = "dotnet",
            Arguments =
            [
                ServerProcess.ServerDll, "serve", "--stdio",
                $"--McpServer:WorkspaceRoot={ServerProcess.RepositoryRoot}",
                "--McpServer:AllowedPrograms:ghost:Path=/nonexistent/ghost-program",
            ],
            WorkingDirectory = ServerProcess.RepositoryRoot,
            StandardErrorLines = line => stderr.Enqueue(line),
        });
        await using (var client = await McpClient.CreateAsync(transport))
        {
            // Starting a misconfigured program throws inside the tool: an unexpected failure, not a refusal.
            var result = await client.CallToolAsync("run_program", new Dictionary<string, object?> { ["program"] = "ghost", ["arguments"] = new[] { secret } });

            Assert.True(result.IsError);
            Assert.Contains("Correlation id", Text(result), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, Text(result), StringComparison.Ordinal);
        }

        var log = string.Join("\n", stderr);
        Assert.Contains("run_program", log, StringComparison.Ordinal);
        Assert.Contains("arguments,program", log, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> stderr = new();

    [Fact]
    public async Task Tools_work_over_http_with_a_bearer_token()
    {
        await using var server = await HttpServer.StartAsync();
        var http = server.CreateClient(HttpServer.Token(scopes: "mcp:tools mcp:run"));
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(http.BaseAddress!, "/mcp"), TransportMode = HttpTransportMode.StreamableHttp },
            http,
            loggerFactory: null,
            ownsHttpClient: true);
        await using var client = await McpClient.CreateAsync(transport);

        await ExerciseAsync(client, "http");

        var run = await client.CallToolAsync("run_program", new Dictionary<string, object?> { ["program"] = "echo", ["arguments"] = new[] { "$(id)" } });
        Assert.Equal("$(id)\n", Structured(run).GetProperty("standardOutput").GetString());
    }

    private async Task ExerciseAsync(McpClient client, string transport)
    {
        var tools = (await client.ListToolsAsync()).Select(t => t.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "list_rules", "explain_rule", "scan_code", "scan_path", "fix_code", "run_program" }, tools);

        var rules = await client.CallToolAsync("list_rules", new Dictionary<string, object?>());
        Assert.Contains("MCPSEC201", Text(rules), StringComparison.Ordinal);

        var explained = await client.CallToolAsync("explain_rule", new Dictionary<string, object?> { ["id"] = "mcpsec202" });
        Assert.Equal("MCPSEC202", Structured(explained).GetProperty("id").GetString());

        var unknown = await client.CallToolAsync("explain_rule", new Dictionary<string, object?> { ["id"] = "NOPE" });
        Assert.True(unknown.IsError);

        // Latency: the first call compiles and loads the analyzers; the rest show the steady state.
        var timings = new List<double>();
        CallToolResult? scan = null;
        for (var i = 0; i < 6; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            scan = await client.CallToolAsync("scan_code", new Dictionary<string, object?> { ["source"] = Samples.Vulnerable });
            timings.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        output.WriteLine($"{transport}: scan_code first call {timings[0]:0} ms, then median {timings.Skip(1).Order().ElementAt(2):0} ms");
        var findings = Structured(scan!).GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToList();
        Assert.Equal(["MCPSEC201", "MCPSEC202"], findings);

        var fixedCode = await client.CallToolAsync("fix_code", new Dictionary<string, object?> { ["source"] = Samples.Vulnerable });
        var fix = Structured(fixedCode);
        Assert.DoesNotContain("catch { return 0; }", fix.GetProperty("fixedSource").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("--- a/", fix.GetProperty("diff").GetString(), StringComparison.Ordinal);
        Assert.Empty(fix.GetProperty("unfixed").EnumerateArray());

        var stopwatchPath = Stopwatch.StartNew();
        var path = await client.CallToolAsync("scan_path", new Dictionary<string, object?> { ["path"] = "src/McpSecurity.Analyzers" });
        output.WriteLine($"{transport}: scan_path src/McpSecurity.Analyzers {stopwatchPath.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(path.IsError != true, Text(path));
        Assert.True(Structured(path).GetProperty("filesScanned").GetInt32() > 0);

        foreach (var escape in new[] { "../", "/etc", "src/../../" })
        {
            var refused = await client.CallToolAsync("scan_path", new Dictionary<string, object?> { ["path"] = escape });
            Assert.True(refused.IsError, escape);
            Assert.Contains("workspace root", Text(refused), StringComparison.Ordinal);
        }
    }

    private static string Text(CallToolResult result)
        => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(block => block.Text));

    private static JsonElement Structured(CallToolResult result)
    {
        Assert.True(result.IsError != true, Text(result));
        Assert.NotNull(result.StructuredContent);
        return JsonSerializer.Deserialize<JsonElement>(result.StructuredContent.Value.GetRawText());
    }
}
