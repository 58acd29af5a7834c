using McpSecurity.Analyzers.Baseline;
using McpSecurity.Analyzers.ExceptionHandling;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis.Testing;

namespace McpSecurity.Analyzers.Tests.Baseline;

/// <summary>The build's side: an analyzer does not report a finding the baseline (an additional file) records.</summary>
public sealed class BaselineFilterTests
{
    // Two bare catches in one method: the baseline accepts the first, the second is new.
    private const string Source = """
        class Mail
        {
            void Send()
            {
                try { Step(); }
                catch { }
                try { Step(); }
                catch { }
            }

            void Step() { }
        }
        """;

    [Fact]
    public async Task Finding_recorded_in_the_baseline_is_not_reported_and_the_other_is()
    {
        var accepted = new BaselineEntry("Test0.cs", "M:Mail.Send", "MCPSEC201", 0, "catch { }");

        await RunAsync(BaselineFile.Write([accepted]), new DiagnosticResult(RuleCatalog.BareCatchClause).WithSpan("/0/Test0.cs", 8, 9, 8, 14).WithArguments("Send"));
    }

    [Fact]
    public async Task Both_are_reported_when_the_baseline_accepts_another_member()
    {
        var elsewhere = new BaselineEntry("Test0.cs", "M:Mail.Receive", "MCPSEC201", 0, "catch { }");

        await RunAsync(
            BaselineFile.Write([elsewhere]),
            new DiagnosticResult(RuleCatalog.BareCatchClause).WithSpan("/0/Test0.cs", 6, 9, 6, 14).WithArguments("Send"),
            new DiagnosticResult(RuleCatalog.BareCatchClause).WithSpan("/0/Test0.cs", 8, 9, 8, 14).WithArguments("Send"));
    }

    [Fact]
    public async Task Baseline_that_does_not_parse_hides_nothing()
    {
        var accepted = new BaselineEntry("Test0.cs", "M:Mail.Send", "MCPSEC201", 0, "catch { }");

        await RunAsync(
            "not a baseline\n" + accepted + "\n",
            new DiagnosticResult(RuleCatalog.BareCatchClause).WithSpan("/0/Test0.cs", 6, 9, 6, 14).WithArguments("Send"),
            new DiagnosticResult(RuleCatalog.BareCatchClause).WithSpan("/0/Test0.cs", 8, 9, 8, 14).WithArguments("Send"));
    }

    // A rule that reports around the filter would fail adopters' builds on findings they accepted.
    [Fact]
    public void Every_analyzer_reports_through_the_baseline_filter()
    {
        var analyzers = RepositoryFiles.PathOf("src", "McpSecurity.Analyzers");
        var direct = Directory.EnumerateFiles(analyzers, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains(Path.DirectorySeparatorChar + "Baseline" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !path.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(path => File.ReadAllText(path).Contains(".ReportDiagnostic(", StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(analyzers, path))
            .ToList();

        Assert.True(direct.Count == 0, "Report with ReportUnlessBaselined, not ReportDiagnostic, in: " + string.Join(", ", direct));
    }

    private static async Task RunAsync(string baseline, params DiagnosticResult[] expected)
    {
        var test = new McpAnalyzerTest<CatchClauseAnalyzer> { TestCode = Source };
        test.TestState.AdditionalFiles.Add(("/0/" + BaselineFile.DefaultFileName, baseline));
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }
}
