using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpSecurity.Server.Tests;

/// <summary>
/// The MCP scans run in a worker process the server kills: a scan Roslyn does not cancel ends with its
/// budget, a worker that dies costs one call, and the worker sees neither SECRET_KEY nor the rest of
/// the server's environment. Each test drives a real stdio server.
/// </summary>
public sealed class ScanWorkerTests : IDisposable
{
    private const string Ordinary = "class A { void M() { try { } catch { } } }";

    private readonly TempFolder workspace = new();

    public void Dispose() => workspace.Dispose();

    /// <summary>
    /// <c>M(a0 => M(a1 => …))</c> with four overloads of <c>M</c>: overload resolution binds every lambda
    /// once per candidate, so the work is 4^levels, and Roslyn does not check cancellation there
    /// (measured in process: 8 levels 5 s, 10 levels 77 s; 12 would be about 20 minutes).
    /// </summary>
    internal static string NestedLambdaOverloads(int levels)
    {
        var call = "0";
        for (var i = levels - 1; i >= 0; i--)
        {
            call = $"M(a{i} => {call})";
        }

        return "using System; class C { "
            + "static int M(Func<int, int> f) => 0; static int M(Func<string, int> f) => 0; "
            + "static int M(Func<long, int> f) => 0; static int M(Func<double, int> f) => 0; "
            + "int X() => " + call + "; }";
    }

    [Fact]
    public async Task A_scan_roslyn_does_not_cancel_ends_with_its_budget_its_worker_is_killed_and_the_next_call_is_answered()
    {
        await using var server = await StdioServer.StartAsync(workspace.Path, "--McpServer:ScanTimeoutSeconds=3");
        Assert.Contains("MCPSEC201", await server.CallAsync("scan_code", new JsonObject { ["source"] = Ordinary }), StringComparison.Ordinal);
        var workers = server.WorkerProcessIds();

        var clock = Stopwatch.StartNew();
        var answer = await server.CallAsync("scan_code", new JsonObject { ["source"] = NestedLambdaOverloads(12) });
        clock.Stop();

        Assert.Contains("time budget of 3 s", answer, StringComparison.Ordinal);
        Assert.Contains("\"isError\":true", answer, StringComparison.Ordinal);
        // Generous: the run itself would take many minutes; this only proves nobody waited for it.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the budget error came after {clock.Elapsed}");
        var worker = Assert.Single(workers);
        Assert.False(Directory.Exists($"/proc/{worker}"), $"the worker {worker} still runs after its budget ran out");

        Assert.Contains("MCPSEC201", await server.CallAsync("scan_code", new JsonObject { ["source"] = Ordinary }), StringComparison.Ordinal);
        Assert.DoesNotContain(worker, server.WorkerProcessIds());
    }

    [Fact]
    public async Task A_worker_that_dies_mid_scan_costs_that_call_an_error_and_the_next_call_gets_a_new_worker()
    {
        await using var server = await StdioServer.StartAsync(workspace.Path, "--McpServer:ScanTimeoutSeconds=100");
        Assert.Contains("MCPSEC201", await server.CallAsync("scan_code", new JsonObject { ["source"] = Ordinary }), StringComparison.Ordinal);
        var worker = Assert.Single(server.WorkerProcessIds());

        // As a stack overflow or an out-of-memory abort would end it, while it is busy.
        var pending = server.CallAsync("scan_code", new JsonObject { ["source"] = NestedLambdaOverloads(12) });
        await Task.Delay(TimeSpan.FromSeconds(2));
        Process.GetProcessById(worker).Kill();
        var answer = await pending.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains("scan worker process ended before answering", answer, StringComparison.Ordinal);
        Assert.Contains("\"isError\":true", answer, StringComparison.Ordinal);
        Assert.Contains("MCPSEC201", await server.CallAsync("scan_code", new JsonObject { ["source"] = Ordinary }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_worker_environment_holds_no_secret_key_and_nothing_outside_its_allow_list()
    {
        var environment = new Dictionary<string, string?>
        {
            ["SECRET_KEY"] = "worker-test-key-worker-test-key-worker-test-key",
            ["MCPSEC_TEST_USER_TOKEN"] = "not-for-the-worker",
        };
        await using var server = await StdioServer.StartAsync(workspace.Path, environment);
        Assert.Contains("MCPSEC201", await server.CallAsync("scan_code", new JsonObject { ["source"] = Ordinary }), StringComparison.Ordinal);
        var worker = Assert.Single(server.WorkerProcessIds());

        var names = File.ReadAllText($"/proc/{worker}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(entry => entry.Split('=')[0]).ToList();

        Assert.DoesNotContain("SECRET_KEY", names);
        Assert.DoesNotContain("MCPSEC_TEST_USER_TOKEN", names);
        Assert.All(names, name => Assert.True(name is "PATH" or "HOME" or "LANG" || name.StartsWith("DOTNET_", StringComparison.Ordinal), $"{name} is not on the worker's allow-list"));
        Assert.Contains("DOTNET_GCHeapHardLimit", names);
        Assert.Equal(workspace.Path, Path.GetFullPath(new DirectoryInfo($"/proc/{worker}/cwd").ResolveLinkTarget(returnFinalTarget: false)!.FullName));
    }

    [Fact]
    public async Task A_fifo_in_the_workspace_does_not_hang_scan_path()
    {
        workspace.Write("src/Tool.cs", Ordinary);
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(workspace.Path, "src", "Pipe.cs")]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        await using var server = await StdioServer.StartAsync(workspace.Path, "--McpServer:ScanTimeoutSeconds=30");

        var folder = await server.CallAsync("scan_path", new JsonObject { ["path"] = "src" });
        var file = await server.CallAsync("scan_path", new JsonObject { ["path"] = "src/Pipe.cs" });

        Assert.Contains("MCPSEC201", folder, StringComparison.Ordinal);
        Assert.Contains("\"filesScanned\":1", folder, StringComparison.Ordinal);
        Assert.DoesNotContain("time budget", file, StringComparison.Ordinal);
        Assert.Contains("\"filesScanned\":0", file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_past_the_queue_limit_is_refused_at_once_while_the_worker_is_busy()
    {
        var settings = new Hosting.ServerSettings { WorkspaceRoot = workspace.Path, ScanWorkers = 1, ScanQueueLimit = 0, ScanTimeoutSeconds = 100 };
        using var pool = new Hosting.ScanWorkerPool(settings, null, ServerProcess.ServerDll);
        using var stop = new CancellationTokenSource();
        var busy = pool.RunAsync(new Engine.ScanJob(Engine.ScanJobs.ScanCode, Source: NestedLambdaOverloads(12)), stop.Token);

        var refused = await Assert.ThrowsAsync<ModelContextProtocol.McpException>(
            () => pool.RunAsync(new Engine.ScanJob(Engine.ScanJobs.ScanCode, Source: Ordinary), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("The server is busy", refused.Message, StringComparison.Ordinal);

        // The client going away kills the busy worker; the pool serves the next call.
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => busy.WaitAsync(TimeSpan.FromSeconds(30)));
        var next = await pool.RunAsync(new Engine.ScanJob(Engine.ScanJobs.ScanCode, Source: Ordinary), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains(next.Scan!.Findings, finding => finding.Id == "MCPSEC201");
    }

    /// <summary>A real <c>serve --stdio</c> process, initialized, with one call at a time.</summary>
    private sealed class StdioServer : IAsyncDisposable
    {
        private readonly Process process;
        private readonly StringBuilder stderr = new();
        private int nextId = 10;

        private StdioServer(Process process)
        {
            this.process = process;
            process.ErrorDataReceived += (_, line) =>
            {
                lock (stderr)
                {
                    stderr.AppendLine(line.Data);
                }
            };
            process.BeginErrorReadLine();
        }

        public static Task<StdioServer> StartAsync(string root, params string[] arguments) => StartAsync(root, null, arguments);

        public static async Task<StdioServer> StartAsync(string root, IDictionary<string, string?>? environment, params string[] arguments)
        {
            var server = new StdioServer(Process.Start(ServerProcess.StartInfo(["serve", "--stdio", $"--McpServer:WorkspaceRoot={root}", .. arguments], environment))!);
            await server.process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
            await server.process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
            await server.process.StandardInput.FlushAsync();
            await server.ReadAnswerAsync(1);
            return server;
        }

        public async Task<string> CallAsync(string tool, JsonObject arguments)
        {
            var id = Interlocked.Increment(ref nextId);
            var request = new JsonObject
            {
                ["jsonrpc"] = "2.0",
                ["id"] = id,
                ["method"] = "tools/call",
                ["params"] = new JsonObject { ["name"] = tool, ["arguments"] = arguments },
            };
            await process.StandardInput.WriteLineAsync(request.ToJsonString());
            await process.StandardInput.FlushAsync();
            return await ReadAnswerAsync(id);
        }

        /// <summary>The server's children that run <c>worker</c>, from /proc (parent pid is field 4 of stat).</summary>
        public List<int> WorkerProcessIds()
        {
            var found = new List<int>();
            foreach (var folder in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    continue;
                }

                try
                {
                    var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                    var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                    var command = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0');
                    if (parent == process.Id && command.Contains("worker"))
                    {
                        found.Add(pid);
                    }
                }
                catch (IOException)
                {
                    // Gone while listed.
                }
            }

            return found;
        }

        private async Task<string> ReadAnswerAsync(int id)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                using var message = JsonDocument.Parse(line);
                if (message.RootElement.TryGetProperty("id", out var answered) && answered.ValueKind == JsonValueKind.Number && answered.GetInt32() == id)
                {
                    return line;
                }
            }

            lock (stderr)
            {
                throw new InvalidOperationException($"the server closed stdout before answering {id}; stderr:\n{stderr}");
            }
        }

        public async ValueTask DisposeAsync()
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(10_000))
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}
