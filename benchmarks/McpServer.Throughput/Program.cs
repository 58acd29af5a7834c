using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpSecurity.Throughput;

// dotnet run -c Release --project benchmarks/McpServer.Throughput [-- --duration 10 --warmup 3 --clients 16 --rounds 3 --only "mcpsec;TS SDK stateless"]
// Builds src/McpServer (Release) and installs the reference server's pinned npm packages (npm ci) if needed,
// then measures each server mode in turn and writes benchmarks/results/throughput-<time>.md.
var options = Options.Parse(args);
var root = RepositoryRoot();
var referenceServer = Path.Combine(root, "benchmarks", "McpServer.Throughput", "reference-server");
var serverDll = Path.Combine(root, "src", "McpServer", "bin", "Release", "net10.0", "McpServer.dll");

if (!options.NoBuild)
{
    await Run("dotnet", ["build", Path.Combine(root, "src", "McpServer", "McpServer.csproj"), "-c", "Release", "-nodeReuse:false", "--disable-build-servers", "-v", "q"], root);
}

if (!Directory.Exists(Path.Combine(referenceServer, "node_modules")))
{
    await Run("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], referenceServer);
}

// A fresh key per run: the tokens of a benchmark are worth nothing afterwards.
var secretKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
var environment = new Dictionary<string, string>
{
    ["SECRET_KEY"] = secretKey,
    ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    ["NODE_ENV"] = "production",
};
var token = (await Run("dotnet", [serverDll, "token", "--subject", "throughput", "--scope", "mcp:tools", "--ttl", "02:00:00"], root, environment)).Trim();

var targets = new List<Target>
{
    Target.Mcpsec("mcpsec stateless", "Stateless"),
    Target.Mcpsec("mcpsec stateful (sessions)", "Stateful"),
    Target.Reference("TS SDK stateful (sessions), SSE", "stateful", json: false),
    Target.Reference("TS SDK stateless, SSE", "stateless", json: false),
    Target.Reference("TS SDK stateful (sessions), JSON responses", "stateful", json: true),
    Target.Reference("TS SDK stateless, JSON responses", "stateless", json: true),
}.Where(t => options.Only.Count == 0 || options.Only.Any(o => t.Name.Contains(o, StringComparison.OrdinalIgnoreCase))).ToList();

var loadBefore = LoadAverage();
var ruleFile = Path.Combine(Path.GetTempPath(), $"mcpsec-throughput-rule-{Environment.ProcessId}.json");
var results = new List<(LoadResult Result, long OutputLines, double CpuMicrosecondsPerCall)>();
try
{
    // The reference server's tool answers with exactly what this server's explain_rule answers.
    await using (var probe = await StartAsync(targets.FirstOrDefault(t => t.IsMcpsec) ?? Target.Mcpsec("probe", "Stateless")))
    {
        await File.WriteAllTextAsync(ruleFile, StructuredContent(await LoadGenerator.CallOnceAsync(probe.Endpoint, token)));
    }

    // Rounds take turns (every mode once, then again): on a shared machine the load moves, and a mode
    // measured only at a busy moment would look slower than it is. The report gives the median round.
    for (var round = 1; round <= options.Rounds; round++)
    {
        foreach (var target in targets)
        {
            Console.WriteLine($"round {round}/{options.Rounds}, {target.Name}: {options.Clients} clients, {options.Warmup.TotalSeconds:0} s warm-up, {options.Duration.TotalSeconds:0} s measured …");
            await using var server = await StartAsync(target);
            var linesBefore = server.OutputLines;
            var cpuBefore = server.ProcessorTime;
            var result = await new LoadGenerator(server.Endpoint, token, options.Clients, options.Warmup, options.Duration, options.MaxRequests).RunAsync(target.Name);
            var cpuPerCall = (server.ProcessorTime - cpuBefore).TotalMicroseconds / Math.Max(1, result.AllCalls);
            results.Add((result, server.OutputLines - linesBefore, cpuPerCall));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {result.RequestsPerSecond:0} req/s, {cpuPerCall:0} µs server CPU per call, p50 {result.P50Milliseconds:0.00} ms, p99 {result.P99Milliseconds:0.00} ms, {result.Errors} errors{(result.FirstError is null ? "" : $" (first: {result.FirstError})")}"));
        }
    }
}
finally
{
    File.Delete(ruleFile);
}

var report = Report(results, options, loadBefore, LoadAverage(), ReferenceSdkVersion());
var resultsFolder = Path.Combine(root, "benchmarks", "results");
Directory.CreateDirectory(resultsFolder);
var reportPath = Path.Combine(resultsFolder, $"throughput-{DateTime.UtcNow:yyyy-MM-dd-HH-mm}.md");
await File.WriteAllTextAsync(reportPath, report);
Console.WriteLine($"Written: {reportPath}");
return results.Any(r => r.Result.Requests == 0) ? 1 : 0;

Task<ServerProcess> StartAsync(Target target)
{
    var port = ServerProcess.FreePort();
    return target.IsMcpsec
        ? ServerProcess.StartAsync(
            "dotnet",
            [
                serverDll, "serve", "--http", "--urls", $"http://127.0.0.1:{port}",
                $"--McpServer:HttpSessionMode={target.Mode}",
                // The limit is per token subject and all 16 clients share one token: lifted, not removed, so
                // the rate limiter's own cost stays in the measurement.
                "--McpServer:RequestsPerMinute=1000000000",
            ],
            root,
            environment,
            port)
        : ServerProcess.StartAsync(
            "node",
            ["server.mjs", "--port", port.ToString(CultureInfo.InvariantCulture), "--mode", target.Mode, "--rule", ruleFile, .. target.Json ? new[] { "--json" } : []],
            referenceServer,
            environment,
            port);
}

string ReferenceSdkVersion()
{
    var manifest = Path.Combine(referenceServer, "node_modules", "@modelcontextprotocol", "sdk", "package.json");
    return File.Exists(manifest) ? JsonNode.Parse(File.ReadAllText(manifest))?["version"]?.ToString() ?? "?" : "?";
}

static string StructuredContent(string body)
{
    // SSE ("data: {...}") or plain JSON.
    var json = body.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("data: {", StringComparison.Ordinal))?["data: ".Length..] ?? body;
    var content = JsonNode.Parse(json)?["result"]?["structuredContent"] ?? throw new InvalidOperationException($"No structuredContent in {body}");
    return content.ToJsonString();
}

static string Report(List<(LoadResult Result, long OutputLines, double CpuMicrosecondsPerCall)> results, Options options, string loadBefore, string loadAfter, string sdkVersion)
{
    var text = new StringBuilder();
    var invariant = CultureInfo.InvariantCulture;
    text.AppendLine(invariant, $"# HTTP tools/call throughput, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
    text.AppendLine();
    text.AppendLine(invariant, $"{options.Clients} concurrent clients (one keep-alive connection each), `tools/call` of `explain_rule` with an HS256 JWT bearer, loopback,");
    text.AppendLine(invariant, $"{options.Warmup.TotalSeconds:0} s warm-up then {options.Duration.TotalSeconds:0} s measured per mode (cap {options.MaxRequests:N0} requests).");
    text.AppendLine(invariant, $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, Node {NodeVersion()}, @modelcontextprotocol/sdk {sdkVersion}.");
    text.AppendLine(invariant, $"Load average (1, 5, 15 min) before: {loadBefore}; after: {loadAfter}.");
    text.AppendLine();
    var medians = results.GroupBy(r => r.Result.Name)
        .Select(g => (Median: g.OrderBy(r => r.Result.RequestsPerSecond).ElementAt(g.Count() / 2), Rounds: g.Select(r => r.Result.RequestsPerSecond).ToList(), Cpu: g.Select(r => r.CpuMicrosecondsPerCall).Order().ElementAt(g.Count() / 2)))
        .ToList();
    text.AppendLine(invariant, $"Median of {options.Rounds} rounds per mode (the rounds take turns across modes); the median round's latencies.");
    text.AppendLine();
    text.AppendLine("Server CPU per call is the server process's user and system time over every call sent to it (warm-up included), median of the rounds: unlike req/s it hardly moves with the machine's load.");
    text.AppendLine();
    text.AppendLine("| Server and mode | req/s | server CPU µs per call | p50 ms | p99 ms | requests | errors | server log lines | req/s of each round |");
    text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    foreach (var ((result, lines, _), rounds, cpu) in medians)
    {
        text.AppendLine(invariant, $"| {result.Name} | {result.RequestsPerSecond:N0} | {cpu:N0} | {result.P50Milliseconds:0.00} | {result.P99Milliseconds:0.00} | {result.Requests:N0} | {result.Errors:N0} | {lines:N0} | {string.Join(", ", rounds.Select(r => r.ToString("N0", invariant)))} |");
    }

    var ours = medians.Select(m => m.Median.Result).Where(r => r.Name.StartsWith("mcpsec", StringComparison.Ordinal)).MaxBy(r => r.RequestsPerSecond);
    var reference = medians.Select(m => m.Median.Result).Where(r => r.Name.StartsWith("TS SDK", StringComparison.Ordinal)).MaxBy(r => r.RequestsPerSecond);
    if (ours is not null && reference is not null)
    {
        text.AppendLine();
        text.AppendLine(invariant, $"Fastest mcpsec mode ({ours.Name}) / fastest TS SDK mode ({reference.Name}): {ours.RequestsPerSecond / reference.RequestsPerSecond:0.00}× the requests per second.");
        var ourCpu = medians.Where(m => m.Median.Result.Name.StartsWith("mcpsec", StringComparison.Ordinal)).MinBy(m => m.Cpu);
        var referenceCpu = medians.Where(m => m.Median.Result.Name.StartsWith("TS SDK", StringComparison.Ordinal)).MinBy(m => m.Cpu);
        text.AppendLine(invariant, $"Server CPU per call, leanest TS SDK mode ({referenceCpu.Median.Result.Name}) / leanest mcpsec mode ({ourCpu.Median.Result.Name}): {referenceCpu.Cpu / ourCpu.Cpu:0.00}× (calls per CPU-second).");
    }

    foreach (var failed in results.Where(r => r.Result.FirstError is not null))
    {
        text.AppendLine();
        text.AppendLine(invariant, $"First error of {failed.Result.Name}: `{failed.Result.FirstError!.ReplaceLineEndings(" ")}`");
    }

    return text.ToString();
}

static string NodeVersion()
{
    try
    {
        using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true });
        return node!.StandardOutput.ReadToEnd().Trim();
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "?";
    }
}

static string LoadAverage()
    => File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static async Task<string> Run(string fileName, string[] arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
{
    var startInfo = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments)
    {
        startInfo.ArgumentList.Add(argument);
    }

    foreach (var (key, value) in environment ?? new Dictionary<string, string>())
    {
        startInfo.Environment[key] = value;
    }

    using var process = Process.Start(startInfo)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
    }

    return await output;
}

static string RepositoryRoot()
{
    for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "McpSecurity.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run from inside the repository: McpSecurity.sln not found above the current folder.");
}

/// <summary>One server in one mode.</summary>
internal sealed record Target(string Name, bool IsMcpsec, string Mode, bool Json)
{
    public static Target Mcpsec(string name, string sessionMode) => new(name, true, sessionMode, false);

    public static Target Reference(string name, string mode, bool json) => new(name, false, mode, json);
}

internal sealed record Options(TimeSpan Duration, TimeSpan Warmup, int Clients, long MaxRequests, int Rounds, IReadOnlyList<string> Only, bool NoBuild)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        double Seconds(string name, double fallback) => double.TryParse(Value(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : fallback;
        return new Options(
            TimeSpan.FromSeconds(Seconds("--duration", 10)),
            TimeSpan.FromSeconds(Seconds("--warmup", 3)),
            int.TryParse(Value("--clients"), CultureInfo.InvariantCulture, out var clients) ? clients : 16,
            long.TryParse(Value("--max-requests"), CultureInfo.InvariantCulture, out var max) ? max : 1_000_000,
            int.TryParse(Value("--rounds"), CultureInfo.InvariantCulture, out var rounds) && rounds > 0 ? rounds : 3,
            Value("--only")?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
            args.Contains("--no-build"));
    }
}
