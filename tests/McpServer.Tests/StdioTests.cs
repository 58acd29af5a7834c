using System.Diagnostics;
using System.Text.Json;

namespace McpSecurity.Server.Tests;

/// <summary>stdio: stdout is the protocol channel; a single log line there corrupts it.</summary>
public sealed class StdioTests
{
    [Fact]
    public async Task Stdout_carries_only_JSON_RPC_and_logs_go_to_stderr()
    {
        // No SECRET_KEY: stdio is a local child process and must start without one.
        using var process = Process.Start(ServerProcess.StartInfo(["serve", "--stdio", $"--McpServer:WorkspaceRoot={ServerProcess.RepositoryRoot}", "--Logging:LogLevel:Default=Trace"]))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var input = process.StandardInput;
        string[] requests =
        [
            """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""",
            """{"jsonrpc":"2.0","method":"notifications/initialized"}""",
            """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""",
            """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"explain_rule","arguments":{"id":"NOPE"}}}""",
            """{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"scan_code","arguments":{"source":"class A { void M() { try { } catch { } } }"}}}""",
        ];
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        foreach (var request in requests)
        {
            await input.WriteLineAsync(request);
            await input.FlushAsync();
        }

        while (!lines.Any(line => line.Contains("\"id\":4", StringComparison.Ordinal)) && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
        }

        input.Close();
        lines.AddRange((await process.StandardOutput.ReadToEndAsync(timeout.Token)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(4, lines.Count(line => line.Contains("\"id\":", StringComparison.Ordinal)));
        foreach (var line in lines)
        {
            using var message = JsonDocument.Parse(line);
            Assert.Equal("2.0", message.RootElement.GetProperty("jsonrpc").GetString());
        }

        // No authentication over stdio: run_program stays listed although the HTTP host hides it by scope.
        Assert.Contains("\"run_program\"", lines.Single(line => line.Contains("\"id\":2", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("MCPSEC201", lines.Last(line => line.Contains("\"id\":4", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.NotEmpty(await stderr);
    }
}
