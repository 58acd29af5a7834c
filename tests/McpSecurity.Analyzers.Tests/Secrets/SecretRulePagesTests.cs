namespace McpSecurity.Analyzers.Tests.Secrets;

/// <summary>The pages of MCPSEC101-103 follow the catalogue: title, severity, every option key and its default.</summary>
public class SecretRulePagesTests
{
    public static TheoryData<string> SecretRules => new() { "MCPSEC101", "MCPSEC102", "MCPSEC103" };

    [Theory]
    [MemberData(nameof(SecretRules))]
    public void Page_has_the_catalogue_title_severity_and_options(string id)
    {
        var descriptor = RuleCatalog.All.Single(d => d.Id == id);
        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "rules", id + ".md"));

        Assert.StartsWith("# " + id + ": " + descriptor.Title + "\n", page.ReplaceLineEndings("\n"));
        Assert.Contains("| McpSecurity | " + descriptor.DefaultSeverity + " |", page);
        foreach (var section in new[] { "## What it finds and why", "## Non-compliant", "## Compliant", "## How to fix", "## Options", "## Configure severity", "## False-positive traps it avoids", "## Known limits" })
        {
            Assert.Contains(section, page);
        }

        foreach (var option in RuleCatalog.OptionsOf(id))
        {
            Assert.Contains("`" + option.Key + "`", page);
        }
    }

    [Fact]
    public void The_first_page_documents_each_default_word_list()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "rules", "MCPSEC101.md"));
        Assert.Contains("`" + RuleCatalog.SecretWords.DefaultValue + "`", page);
        Assert.Contains("`" + RuleCatalog.SecretDescriptorWords.DefaultValue + "`", page);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "McpSecurity.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("McpSecurity.sln not found above " + AppContext.BaseDirectory);
    }
}
