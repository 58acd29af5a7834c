using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpSecurity.Server.Tests;

/// <summary>
/// Shapes that used to take the real server process down or keep it busy: each is sent over stdio,
/// then an ordinary scan, which must still be answered.
/// </summary>
public sealed class ScanIsolationStdioTests : IDisposable
{
    private readonly TempFolder workspace = new();

    public void Dispose() => workspace.Dispose();

    /// <summary>20 KB of nested parentheses: overflowed the stack in Roslyn's binder.</summary>
    internal static string NestedParentheses(int levels) => "class C { int M() => " + new string('(', levels) + "1" + new string(')', levels) + "; }";

    /// <summary>54 KB of nested try/catch.</summary>
    internal static string NestedTryCatch(int levels)
    {
        var body = new StringBuilder();
        for (var i = 0; i < levels; i++)
        {
            body.Append("try { ");
        }

        for (var i = 0; i < levels; i++)
        {
            body.Append(" } catch { }");
        }

        return "class C { void M() { " + body + " } }";
    }

    /// <summary>A nested interpolated string: the binder's work doubles per level and ignores cancellation.</summary>
    internal static string NestedInterpolation(int levels)
    {
        var expression = "1";
        for (var i = 0; i < levels; i++)
        {
            expression = "$\"{" + expression + "}\"";
        }

        return "class C { string M() => " + expression + "; }";
    }

    /// <summary>Deep nesting without brackets: 100,000 prefix operators.</summary>
    internal static string NestedNegations(int levels) => "class C { bool M() => " + new string('!', levels) + "true; }";

    public static TheoryData<string, string, string> Attacks() => new()
    {
        { "scan_code", NestedParentheses(10_000), "bracket nesting limit" },
        { "fix_code", NestedParentheses(10_000), "bracket nesting limit" },
        { "scan_code", NestedTryCatch(2_500), "bracket nesting limit" },
        { "fix_code", NestedTryCatch(2_500), "bracket nesting limit" },
        { "scan_code", NestedNegations(100_000), "syntax depth limit" },
        { "fix_code", NestedNegations(100_000), "syntax depth limit" },
        { "scan_code", NestedInterpolation(28), "interpolated string nesting limit" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task The_server_refuses_the_shape_by_its_limit_and_answers_the_next_request(string tool, string source, string limit)
    {
        var attack = Call(10, tool, new JsonObject { ["source"] = source });

        var answers = await SendThenScanAsync([attack]);

        Assert.Contains(limit, answers[10], StringComparison.Ordinal);
        Assert.Contains("\"isError\":true", answers[10], StringComparison.Ordinal);
        Assert.Contains("MCPSEC201", answers[11], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_path_of_a_deeply_nested_file_is_refused_and_the_server_answers_the_next_request()
    {
        workspace.Write("src/Deep.cs", NestedParentheses(10_000));

        var answers = await SendThenScanAsync([Call(10, "scan_path", new JsonObject { ["path"] = "src" })]);

        Assert.Contains("src/Deep.cs", answers[10], StringComparison.Ordinal);
        Assert.Contains("bracket nesting limit", answers[10], StringComparison.Ordinal);
        Assert.Contains("MCPSEC201", answers[11], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_stdio_message_is_dropped_and_the_server_answers_the_next_request()
    {
        // 4 MB of one line against a 64 KB cap: before the cap the SDK buffered any line whole.
        var huge = Call(10, "scan_code", new JsonObject { ["source"] = new string(' ', 4 * 1024 * 1024) });

        var answers = await SendThenScanAsync([huge], awaitAttackAnswer: false, "--McpServer:StdioMaxMessageBytes=65536");

        Assert.Contains("MCPSEC201", answers[11], StringComparison.Ordinal);
        Assert.False(answers.ContainsKey(10) && answers[10].Contains("\"result\"", StringComparison.Ordinal), "the oversized message must not be executed");
    }

    private static string Call(int id, string tool, JsonObject arguments) => new JsonObject
    {
        ["jsonrpc"] = "2.0",
        ["id"] = id,
        ["method"] = "tools/call",
        ["params"] = new JsonObject { ["name"] = tool, ["arguments"] = arguments },
    }.ToJsonString();

    /// <summary>
    /// Sends <paramref name="requests"/> (id 10), waits for the answer to id 10 when
    /// <paramref name="awaitAttackAnswer"/>, then sends an ordinary scan_code as id 11 and waits for
    /// its answer; returns every answer by id.
    /// </summary>
    private async Task<Dictionary<int, string>> SendThenScanAsync(IEnumerable<string> requests, bool awaitAttackAnswer = true, params string[] extraArguments)
    {
        using var process = Process.Start(ServerProcess.StartInfo(["serve", "--stdio", $"--McpServer:WorkspaceRoot={workspace.Path}", .. extraArguments]))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var input = process.StandardInput;
        var answers = new Dictionary<int, string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await input.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
            await input.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
            foreach (var request in requests)
            {
                await input.WriteLineAsync(request);
            }

            await input.FlushAsync();
            if (awaitAttackAnswer)
            {
                await ReadAnswersUntilAsync(process, answers, 10, timeout.Token);
                if (!answers.ContainsKey(10))
                {
                    Assert.Fail("the server did not answer the attack; stderr:\n" + await StderrSoFar(process, stderr));
                }
            }

            await input.WriteLineAsync(Call(11, "scan_code", new JsonObject { ["source"] = "class A { void M() { try { } catch { } } }" }));
            await input.FlushAsync();
            await ReadAnswersUntilAsync(process, answers, 11, timeout.Token);
        }
        finally
        {
            input.Close();
            if (!process.WaitForExit(10_000))
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.True(answers.ContainsKey(11), "the server did not answer the request after the attack; stderr:\n" + await stderr);
        return answers;
    }

    private static async Task ReadAnswersUntilAsync(Process process, Dictionary<int, string> answers, int id, CancellationToken cancellationToken)
    {
        while (!answers.ContainsKey(id) && await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            using var message = JsonDocument.Parse(line);
            if (message.RootElement.TryGetProperty("id", out var answered) && answered.ValueKind == JsonValueKind.Number)
            {
                answers[answered.GetInt32()] = line;
            }
        }
    }

    private static async Task<string> StderrSoFar(Process process, Task<string> stderr)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        return await stderr;
    }
}
