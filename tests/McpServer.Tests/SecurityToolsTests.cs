using McpSecurity.Server.Engine;
using McpSecurity.Server.Hosting;
using McpSecurity.Server.Tools;
using ModelContextProtocol;

namespace McpSecurity.Server.Tests;

/// <summary>The tool methods directly: what a client sees, without a transport in the way.</summary>
public sealed class SecurityToolsTests : IDisposable
{
    private readonly TempFolder workspace = new();

    public void Dispose() => workspace.Dispose();

    private SecurityTools Tools()
    {
        var settings = new ServerSettings { WorkspaceRoot = workspace.Path };
        return new SecurityTools(new InProcessScans(new CodeEngine(), settings), settings, new ProgramRunner(settings));
    }

    [Fact]
    public async Task Scan_path_names_files_relative_to_the_workspace_root()
    {
        workspace.Write("src/Tools.cs", Samples.Vulnerable);

        var result = await Tools().ScanPath("src");

        Assert.Equal(["src/Tools.cs", "src/Tools.cs"], result.Findings.Select(f => f.File));
    }

    [Fact]
    public async Task Scan_path_refusals_do_not_echo_the_path()
    {
        var error = await Assert.ThrowsAsync<McpException>(() => Tools().ScanPath("../../etc/shadow-secret-name"));

        Assert.DoesNotContain("shadow-secret-name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fix_code_returns_the_fixed_source_and_a_diff()
    {
        const string source = """
            using System;
            public class Tools
            {
                public string Parse(string text)
                {
                    try { return int.Parse(text).ToString(); }
                    catch { return "0"; }
                }
            }
            """;

        var result = await Tools().FixCode(source);

        Assert.NotEqual(source, result.FixedSource);
        Assert.Contains("@@", result.Diff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fix_code_keeps_the_fallback_by_default_and_applies_the_action_a_client_names()
    {
        const string source = """
            using System;
            using Microsoft.Extensions.Logging;
            public class Tools(ILogger<Tools> logger)
            {
                public int Parse(string text)
                {
                    try
                    {
                        return int.Parse(text);
                    }
                    catch (Exception)
                    {
                        return -1;
                    }
                }
            }
            """;

        var kept = await Tools().FixCode(source, ["MCPSEC202"]);
        var rethrown = await Tools().FixCode(source, ["MCPSEC202"], ["MCPSEC202.Rethrow"]);

        Assert.Contains("logger.LogError(", kept.FixedSource, StringComparison.Ordinal);
        Assert.Contains("return -1;", kept.FixedSource, StringComparison.Ordinal);
        Assert.Contains("throw;", rethrown.FixedSource, StringComparison.Ordinal);
        Assert.DoesNotContain("LogError", rethrown.FixedSource, StringComparison.Ordinal);
    }

    // Found on a real MCP client: Roslyn's Simplifier threw while cleaning up MCPSEC404's fix of a
    // wait inside a local function among top-level statements, and took the whole fix run down.
    [Fact]
    public async Task Fix_code_bounds_a_wait_in_a_local_function_among_top_level_statements()
    {
        const string source = """
            using System.Diagnostics;

            static async Task<int> Main()
            {
                using var proc = Process.Start(new ProcessStartInfo("dotnet") { UseShellExecute = false })!;
                await proc.WaitForExitAsync();
                return proc.ExitCode;
            }

            return await Main();
            """;

        var result = await Tools().FixCode(source, ["MCPSEC404"]);

        Assert.Contains("await proc.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));", result.FixedSource, StringComparison.Ordinal);
        Assert.Contains("catch (TimeoutException)", result.FixedSource, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Unfixed, f => f.Id == "MCPSEC404");
    }

    [Fact]
    public async Task Scan_code_of_broken_code_still_answers()
    {
        var result = await Tools().ScanCode("public class { void M( { try { } catch { ");

        Assert.NotNull(result.Findings);
    }

    [Fact]
    public void Explain_rule_rejects_unknown_ids_without_echoing_them()
    {
        var error = Assert.Throws<McpException>(() => SecurityTools.ExplainRule("<script>"));

        Assert.DoesNotContain("<script>", error.Message, StringComparison.Ordinal);
    }
}
