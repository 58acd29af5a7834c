using System.Diagnostics;
using System.Text.Json.Nodes;

namespace McpSecurity.Server.Tests.RealClients;

[CollectionDefinition(Name)]
public sealed class RealClientCollection : ICollectionFixture<RealClientFixture>
{
    public const string Name = "real clients";
}

/// <summary>
/// Once per test run: installs the npm harness, starts one real HTTP server process, and runs the
/// conformance scenarios against it (lazily, for the tests that ask).
/// </summary>
public sealed class RealClientFixture : IAsyncLifetime
{
    /// <summary>The conformance suite's server scenarios that test what a tools-only server must do; the rest need tools, prompts or resources made for the suite (see docs/server.md).</summary>
    public static readonly string[] ApplicableScenarios =
    [
        "server-initialize",
        "ping",
        "tools-list",
        "logging-set-level",
        "dns-rebinding-protection",
        "server-sse-multiple-streams",
    ];

    private readonly TempFolder workspace = new();
    private Task<JsonNode>? conformance;
    private Task<JsonNode>? statefulConformance;

    internal NpmClients Clients { get; private set; } = null!;

    internal LiveHttpServer Http { get; private set; } = null!;

    /// <summary>The same server with <c>McpServer:HttpSessionMode=Stateful</c>, the mode that offers sessions.</summary>
    internal LiveHttpServer StatefulHttp { get; private set; } = null!;

    public string WorkspaceRoot => workspace.Path;

    /// <summary>Where the time of this fixture goes (printed by the tests: CI time is a budget).</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> Timings { get; } = [];

    /// <summary>A file under the workspace root holding <see cref="Samples.Vulnerable"/>, for scan_path.</summary>
    public const string VulnerableFile = "Tool.cs";

    /// <summary>The same configuration for both transports: the workspace above and echo as the one allowed program.</summary>
    public IReadOnlyList<string> ServerSettings =>
    [
        $"--McpServer:WorkspaceRoot={WorkspaceRoot}",
        "--McpServer:AllowedPrograms:echo:Path=/bin/echo",
    ];

    public async Task InitializeAsync()
    {
        workspace.Write(VulnerableFile, Samples.Vulnerable);
        var stopwatch = Stopwatch.StartNew();
        Clients = await NpmClients.InstallAsync();
        Timings.Add($"npm harness ready in {stopwatch.Elapsed.TotalSeconds:0.0} s");
        stopwatch.Restart();
        var stateless = LiveHttpServer.StartAsync(ServerSettings);
        var stateful = LiveHttpServer.StartAsync([.. ServerSettings, "--McpServer:HttpSessionMode=Stateful"]);
        Http = await stateless;
        StatefulHttp = await stateful;
        Timings.Add($"HTTP servers (stateless, stateful) listening in {stopwatch.Elapsed.TotalSeconds:0.0} s");
    }

    public Task<JsonNode> ConformanceAsync(bool stateful = false)
        => stateful ? statefulConformance ??= RunConformanceAsync(StatefulHttp) : conformance ??= RunConformanceAsync(Http);

    private async Task<JsonNode> RunConformanceAsync(LiveHttpServer server)
    {
        var stopwatch = Stopwatch.StartNew();
        var token = await LiveHttpServer.MintTokenAsync("mcp:tools");
        var summary = await Clients.RunScriptAsync(
            "conformance.mjs",
            new { url = server.Url, scenarios = ApplicableScenarios },
            new Dictionary<string, string?> { ["MCPSEC_TOKEN"] = token },
            TimeSpan.FromMinutes(5));
        Timings.Add($"{ApplicableScenarios.Length} conformance scenarios against {server.Url} in {stopwatch.Elapsed.TotalSeconds:0.0} s");
        return summary;
    }

    public async Task DisposeAsync()
    {
        if (Http is not null)
        {
            await Http.DisposeAsync();
        }

        if (StatefulHttp is not null)
        {
            await StatefulHttp.DisposeAsync();
        }

        workspace.Dispose();
    }
}
