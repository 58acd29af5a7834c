namespace McpSecurity.Analyzers.Tests.Shared;

/// <summary>Checks a rule's page in docs/rules against the catalogue: title, severity, sections, option keys.</summary>
internal static class RulePages
{
    public static readonly string[] Sections =
    [
        "## What it finds and why", "## Non-compliant", "## Compliant", "## How to fix", "## Options",
        "## Configure severity", "## False-positive traps it avoids", "## Known limits",
    ];

    public static void AssertFollowsCatalogue(string id)
    {
        var descriptor = RuleCatalog.All.Single(d => d.Id == id);
        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "rules", id + ".md"));

        Assert.StartsWith("# " + id + ": " + descriptor.Title + "\n", page.ReplaceLineEndings("\n"));
        Assert.Contains("| McpSecurity | " + descriptor.DefaultSeverity + " |", page);
        foreach (var section in Sections)
        {
            Assert.Contains(section, page);
        }

        foreach (var option in RuleCatalog.OptionsOf(id))
        {
            Assert.Contains("`" + option.Key + "`", page);
        }
    }

    public static string RepositoryRoot()
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
