using System.Collections.Immutable;
using McpSecurity.Server.Engine;
using Microsoft.CodeAnalysis.CodeFixes;

namespace McpSecurity.Server.Tests;

/// <summary>The fix engine when a fix itself fails.</summary>
public sealed class CodeEngineTests
{
    private const string Source = """
        using System;
        public class Tools
        {
            public string Parse(string text)
            {
                try { return int.Parse(text).ToString(); }
                catch { return "0"; }
            }

            public bool Check(string text)
            {
                try { return int.Parse(text) > 0; }
                catch (Exception) { return false; }
            }
        }
        """;

    [Fact]
    public async Task A_fix_that_throws_is_reported_and_the_other_fixes_still_apply()
    {
        var engine = new CodeEngine(id => id == "MCPSEC201" ? [new ThrowingFix()] : AnalyzerSet.FixersFor(id), SyntaxLimits.Default);
        using var sources = SourceSet.FromText(Source, "Tools.cs");

        var result = await engine.FixAsync(sources, [], CancellationToken.None);

        var failure = Assert.Single(result.Failures);
        Assert.Equal(("Tools.cs", "MCPSEC201", "InvalidOperationException: the fix broke"), (failure.File, failure.Id, failure.Reason));
        Assert.Contains(result.Unfixed, f => f.Id == "MCPSEC201");
        Assert.DoesNotContain(result.Unfixed, f => f.Id == "MCPSEC202");
        var change = Assert.Single(result.Changes);
        Assert.Contains("catch (Exception) { throw; }", change.NewText, StringComparison.Ordinal);
        Assert.Contains("catch { return \"0\"; }", change.NewText, StringComparison.Ordinal);
    }

    // Found on Sonarr: the first wait (on a call's result) has no fix, the second has; the engine
    // took its action from whichever diagnostic analysis happened to report first, and so fixed
    // the second one only some of the time.
    [Fact]
    public async Task One_diagnostic_without_a_fix_does_not_cost_the_others_theirs()
    {
        const string source = """
            using System.Diagnostics;

            public static class Runner
            {
                public static void Both(Process process)
                {
                    Process.Start("git", "status")!.WaitForExit();
                    process.WaitForExit();
                }
            }
            """;
        using var sources = SourceSet.FromText(source, "Runner.cs");

        var result = await new CodeEngine().FixAsync(sources, ["MCPSEC404"], CancellationToken.None);

        var change = Assert.Single(result.Changes);
        Assert.Contains("if (!process.WaitForExit(TimeSpan.FromSeconds(30)))", change.NewText, StringComparison.Ordinal);
        Assert.Contains("Process.Start(\"git\", \"status\")!.WaitForExit();", change.NewText, StringComparison.Ordinal);
        Assert.Single(result.Unfixed, f => f.Id == "MCPSEC404");
    }

    private sealed class ThrowingFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ["MCPSEC201"];

        public override Task RegisterCodeFixesAsync(CodeFixContext context)
            => throw new InvalidOperationException("the fix broke");
    }
}
