using System.Reflection;
using System.Text.RegularExpressions;
using McpSecurity.Analyzers;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace McpSecurity.CodeFixes.Tests.Catalog;

/// <summary>
/// The code fixes agree with the catalogue: they fix only catalogue rules, each offers Fix All, and a
/// rule page says "yes" in its Code fix column exactly when some fix exists for the rule.
/// </summary>
public sealed partial class CodeFixCatalogTests
{
    [Fact]
    public void Every_fix_provider_is_exported_for_csharp_fixes_catalogue_rules_and_offers_fix_all()
    {
        var ids = RuleCatalog.All.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var providers = FixProviders().ToList();
        Assert.NotEmpty(providers);

        foreach (var provider in providers)
        {
            var type = provider.GetType();
            var export = type.GetCustomAttribute<ExportCodeFixProviderAttribute>();
            Assert.NotNull(export);
            Assert.Equal([LanguageNames.CSharp], export.Languages);
            Assert.True(type.IsPublic && type.IsSealed, $"{type.Name} is not public sealed.");
            Assert.NotEmpty(provider.FixableDiagnosticIds);
            Assert.All(provider.FixableDiagnosticIds, id => Assert.True(ids.Contains(id), $"{type.Name} fixes {id}, which is not in the catalogue."));
            Assert.NotNull(provider.GetFixAllProvider());
        }
    }

    [Fact]
    public void Rule_pages_say_whether_a_fix_exists()
    {
        var fixable = FixProviders().SelectMany(p => p.FixableDiagnosticIds).ToHashSet(StringComparer.Ordinal);

        foreach (var descriptor in RuleCatalog.All)
        {
            var page = RepositoryFiles.Read("docs", "rules", descriptor.Id + ".md");
            var row = HeaderRow().Match(page);
            Assert.True(row.Success, $"docs/rules/{descriptor.Id}.md has no 'Category | Default severity | Guide section | Code fix' row.");
            var documented = row.Groups["fix"].Value.StartsWith("yes", StringComparison.Ordinal);
            Assert.True(
                documented == fixable.Contains(descriptor.Id),
                $"docs/rules/{descriptor.Id}.md says code fix '{row.Groups["fix"].Value}' but a fix {(fixable.Contains(descriptor.Id) ? "exists" : "does not exist")}.");
        }
    }

    private static IEnumerable<CodeFixProvider> FixProviders()
        => typeof(McpSecurity.CodeFixes.Shared.SequentialFixAll).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(type))
            .OrderBy(type => type.FullName, StringComparer.Ordinal)
            .Select(type => (CodeFixProvider)Activator.CreateInstance(type)!);

    /// <summary><c>| McpSecurity | Error | S1 Hardcoded secrets | yes (2) |</c></summary>
    [GeneratedRegex(@"^\| McpSecurity \| [A-Za-z]+ \|[^|\n]*\| (?<fix>[^|\n]*?) \|$", RegexOptions.Multiline)]
    private static partial Regex HeaderRow();
}
