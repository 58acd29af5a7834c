using McpSecurity.Analyzers.Tests.Shared;

namespace McpSecurity.Analyzers.Tests.ProcessExecution;

/// <summary>The pages of MCPSEC401-405 follow the catalogue, and the release tracking lists each rule.</summary>
public class ProcessRulePagesTests
{
    public static TheoryData<string> ProcessRules => new() { "MCPSEC401", "MCPSEC402", "MCPSEC403", "MCPSEC404", "MCPSEC405" };

    [Theory]
    [MemberData(nameof(ProcessRules))]
    public void Page_has_the_catalogue_title_severity_and_options(string id) => RulePages.AssertFollowsCatalogue(id);

    [Theory]
    [MemberData(nameof(ProcessRules))]
    public void Release_tracking_lists_the_rule_with_its_default_severity(string id)
    {
        var descriptor = RuleCatalog.All.Single(d => d.Id == id);
        var unshipped = File.ReadAllText(Path.Combine(RulePages.RepositoryRoot(), "src", "McpSecurity.Analyzers", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains(id + " | McpSecurity | " + descriptor.DefaultSeverity + " |", unshipped);
    }
}
