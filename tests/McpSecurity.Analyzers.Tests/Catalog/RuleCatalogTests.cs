using System.Reflection;
using System.Text.RegularExpressions;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpSecurity.Analyzers.Tests.Catalog;

/// <summary>
/// Each rule is declared once, in <see cref="RuleCatalog"/>; everything else that describes a rule —
/// its page in docs/rules, its row in the README, its release-tracking entry, the analyzers that
/// report it — must agree with that declaration. These tests fail when one of them drifts.
/// </summary>
public sealed partial class RuleCatalogTests
{
    private static readonly string[] PageSections =
    [
        "## What it finds and why", "## Non-compliant", "## Compliant", "## How to fix", "## Options",
        "## Configure severity", "## False-positive traps it avoids", "## Known limits",
    ];

    public static TheoryData<string> RuleIds => [.. RuleCatalog.All.Select(d => d.Id)];

    // Code scanning files a finding by its tags: without "security" and a CWE it is an unclassified note.
    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Descriptor_is_tagged_security_with_at_least_one_cwe(string id)
    {
        var tags = Descriptor(id).CustomTags.ToList();

        Assert.Contains(RuleCatalog.SecurityTag, tags);
        Assert.Contains(tags, tag => Regex.IsMatch(tag, "^CWE-[1-9][0-9]*$"));
        Assert.Equal(tags.Distinct(StringComparer.Ordinal).Count(), tags.Count);
    }

    [Fact]
    public void Catalogue_holds_the_rules_ordered_by_unique_id()
    {
        var ids = RuleCatalog.All.Select(d => d.Id).ToList();

        Assert.NotEmpty(ids);
        Assert.Equal(ids.Distinct(StringComparer.Ordinal).Count(), ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Descriptor_has_the_id_format_category_help_link_and_texts(string id)
    {
        var descriptor = Descriptor(id);

        Assert.Matches(IdFormat(), id);
        Assert.Equal("McpSecurity", descriptor.Category);
        Assert.Equal(RuleCatalog.HelpLinkOf(id), descriptor.HelpLinkUri);
        Assert.True(descriptor.IsEnabledByDefault, $"{id} is off by default.");
        Assert.Contains(descriptor.DefaultSeverity, new[] { DiagnosticSeverity.Error, DiagnosticSeverity.Warning });
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()), $"{id} has no title.");
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()), $"{id} has no description.");
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_page_has_the_catalogue_title_severity_sections_and_option_keys(string id)
    {
        var descriptor = Descriptor(id);
        var path = RepositoryFiles.PathOf("docs", "rules", id + ".md");
        Assert.True(File.Exists(path), $"{id} has no page at docs/rules/{id}.md.");
        var page = RepositoryFiles.Read("docs", "rules", id + ".md");

        Assert.StartsWith($"# {id}: {descriptor.Title}\n", page, StringComparison.Ordinal);
        Assert.Contains($"| McpSecurity | {descriptor.DefaultSeverity} |", page, StringComparison.Ordinal);
        foreach (var section in PageSections)
        {
            Assert.Contains(section, page, StringComparison.Ordinal);
        }

        foreach (var option in RuleCatalog.OptionsOf(id))
        {
            Assert.Contains("`" + option.Key + "`", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_page_in_docs_rules_belongs_to_a_rule_in_the_catalogue()
    {
        var pages = Directory.EnumerateFiles(RepositoryFiles.PathOf("docs", "rules"), "*.md")
            .Select(Path.GetFileNameWithoutExtension)
            .ToList();
        var ids = RuleCatalog.All.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);

        Assert.All(pages, page => Assert.True(ids.Contains(page!), $"docs/rules/{page}.md documents no rule of the catalogue."));
    }

    [Theory]
    [InlineData("README.md", "docs/rules/")]
    [InlineData("src/McpSecurity.Package/README.md", "docs/rules/")]
    public void Readme_rules_table_has_exactly_one_row_per_rule_with_its_title_and_severity(string readme, string linkBase)
    {
        var rows = ReadmeRow().Matches(RepositoryFiles.Read(readme.Split('/')))
            .Select(m => (Id: m.Groups["id"].Value, Link: m.Groups["link"].Value, Title: m.Groups["title"].Value.Trim(), Severity: m.Groups["severity"].Value.Trim()))
            .ToList();

        var expected = RuleCatalog.All.Select(d => (d.Id, Link: linkBase + d.Id + ".md", Title: d.Title.ToString(), Severity: d.DefaultSeverity.ToString())).ToList();
        Assert.Equal(expected, rows);
    }

    [Fact]
    public void Release_tracking_lists_every_rule_once_with_its_category_and_severity()
    {
        var tracked = ReleaseRow().Matches(
                RepositoryFiles.Read("src", "McpSecurity.Analyzers", "AnalyzerReleases.Shipped.md")
                + RepositoryFiles.Read("src", "McpSecurity.Analyzers", "AnalyzerReleases.Unshipped.md"))
            .Select(m => (Id: m.Groups["id"].Value, Category: m.Groups["category"].Value, Severity: m.Groups["severity"].Value))
            .OrderBy(row => row.Id, StringComparer.Ordinal)
            .ToList();

        var expected = RuleCatalog.All.Select(d => (d.Id, Category: d.Category, Severity: d.DefaultSeverity.ToString())).ToList();
        Assert.Equal(expected, tracked);
    }

    [Fact]
    public void Every_analyzer_reports_catalogue_rules_and_every_rule_has_an_analyzer()
    {
        var analyzers = AnalyzerTypes().Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!).ToList();
        Assert.NotEmpty(analyzers);

        var catalogue = RuleCatalog.All.ToHashSet();
        var supported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var analyzer in analyzers)
        {
            foreach (var descriptor in analyzer.SupportedDiagnostics)
            {
                // The very same instance: a descriptor built twice could drift from the catalogue.
                Assert.True(catalogue.Contains(descriptor), $"{analyzer.GetType().Name} reports {descriptor.Id}, which is not a catalogue descriptor.");
                supported.Add(descriptor.Id);
            }
        }

        Assert.Equal(RuleCatalog.All.Select(d => d.Id), supported.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Analyzers_are_registered_for_csharp_only_and_are_public_sealed()
    {
        foreach (var type in AnalyzerTypes())
        {
            var attribute = type.GetCustomAttribute<DiagnosticAnalyzerAttribute>();
            Assert.NotNull(attribute);
            Assert.Equal([LanguageNames.CSharp], attribute.Languages);
            Assert.True(type.IsPublic && type.IsSealed, $"{type.Name} is not public sealed.");
        }
    }

    [Fact]
    public void Options_have_unique_mcpsec_keys_descriptions_and_known_rules()
    {
        var ids = RuleCatalog.All.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var keys = RuleCatalog.Options.Select(o => o.Key).ToList();

        Assert.Equal(keys.Distinct(StringComparer.Ordinal).Count(), keys.Count);
        foreach (var option in RuleCatalog.Options)
        {
            Assert.Matches(OptionKeyFormat(), option.Key);
            Assert.False(string.IsNullOrWhiteSpace(option.Description), $"{option.Key} has no description.");
            Assert.NotEmpty(option.RuleIds);
            Assert.All(option.RuleIds, id => Assert.Contains(id, ids));
        }
    }

    [Fact]
    public void Each_option_default_is_written_out_on_a_page_of_one_of_its_rules()
    {
        foreach (var option in RuleCatalog.Options)
        {
            var pages = option.RuleIds.Select(id => RepositoryFiles.Read("docs", "rules", id + ".md"));
            Assert.True(
                pages.Any(page => page.Contains("`" + option.DefaultValue + "`", StringComparison.Ordinal)),
                $"No page of {string.Join(", ", option.RuleIds)} shows the default of {option.Key}.");
        }
    }

    private static DiagnosticDescriptor Descriptor(string id) => RuleCatalog.All.Single(d => d.Id == id);

    private static IEnumerable<Type> AnalyzerTypes()
        => typeof(RuleCatalog).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type))
            .OrderBy(type => type.FullName, StringComparer.Ordinal);

    [GeneratedRegex(@"^MCPSEC[1-6]\d{2}$")]
    private static partial Regex IdFormat();

    [GeneratedRegex(@"^mcpsec\.[a-z][a-z0-9_]*$")]
    private static partial Regex OptionKeyFormat();

    /// <summary><c>| [MCPSEC101](docs/rules/MCPSEC101.md) | Hardcoded secret | Error |</c></summary>
    [GeneratedRegex(@"^\|\s*\[(?<id>MCPSEC\d{3})\]\((?<link>[^)]*)\)\s*\|(?<title>[^|\n]*)\|(?<severity>[^|\n]*)\|", RegexOptions.Multiline)]
    private static partial Regex ReadmeRow();

    /// <summary><c>MCPSEC101 | McpSecurity | Error | HardcodedSecretAnalyzer, …</c></summary>
    [GeneratedRegex(@"^(?<id>MCPSEC\d{3})\s*\|\s*(?<category>[^|\s]+)\s*\|\s*(?<severity>[^|\s]+)\s*\|", RegexOptions.Multiline)]
    private static partial Regex ReleaseRow();
}
