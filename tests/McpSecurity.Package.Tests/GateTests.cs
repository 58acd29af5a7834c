using System.Text.Json;
using System.Text.RegularExpressions;
using McpSecurity.Package.Tests.Infrastructure;

namespace McpSecurity.Package.Tests;

/// <summary>
/// The gate as a user meets it: a project that references the packed McpSecurity.Analyzers fails its
/// build on vulnerable code, <c>dotnet format analyzers</c> fixes the code, and the build then passes.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed partial class GateTests(PackageFixture fixture)
{
    [Fact]
    public async Task Building_vulnerable_code_fails_with_MCPSEC201_and_MCPSEC202_errors()
    {
        var build = (await fixture.VulnerableConsumer).Build;

        Assert.False(build.Succeeded, build.ToString());
        var errors = build.Diagnostics.Where(d => d.IsError).ToList();
        Assert.Equal(1, errors.Count(d => d.Id == "MCPSEC201"));
        Assert.Equal(2, errors.Count(d => d.Id == "MCPSEC202"));
        Assert.All(errors, d => Assert.StartsWith("MCPSEC", d.Id, StringComparison.Ordinal));
        AssertAnalyzersLoaded(build);
    }

    [Fact]
    public async Task Error_log_writes_SARIF_that_names_the_rules_and_their_help_links()
    {
        var vulnerable = await fixture.VulnerableConsumer;
        Assert.True(File.Exists(vulnerable.SarifPath), $"No SARIF file at {vulnerable.SarifPath}.{Environment.NewLine}{vulnerable.Build}");

        using var sarif = JsonDocument.Parse(File.ReadAllText(vulnerable.SarifPath));
        var (ruleIdsOfResults, helpUris) = ReadSarif(sarif.RootElement);

        Assert.Contains("MCPSEC201", ruleIdsOfResults);
        Assert.Contains("MCPSEC202", ruleIdsOfResults);
        foreach (var id in new[] { "MCPSEC201", "MCPSEC202" })
        {
            Assert.True(helpUris.TryGetValue(id, out var helpUri), $"The SARIF log describes no rule {id}.");
            Assert.Equal(PackageFixture.RulePagesUrl + id + ".md", helpUri);
        }

        // Code scanning reads SARIF 2.1 and classifies a rule by its tags.
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        var rule = sarif.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules")
            .EnumerateArray().Single(r => r.GetProperty("id").GetString() == "MCPSEC201");
        var tags = rule.GetProperty("properties").GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()).ToList();
        Assert.Contains("security", tags);
        Assert.Contains("CWE-396", tags);
    }

    [Fact]
    public async Task Dotnet_format_analyzers_rewrites_the_handlers_to_rethrow()
    {
        var formatted = await fixture.FormattedConsumer;

        Assert.True(formatted.Format.Succeeded, formatted.Format.ToString());
        Assert.NotEqual(formatted.Before, formatted.After);
        Assert.DoesNotMatch(BareCatch(), formatted.After);

        // Every handler now ends in a rethrow instead of a silent default value.
        Assert.Equal(3, CatchClause().Matches(formatted.After).Count);
        Assert.Equal(3, Rethrow().Matches(formatted.After).Count);
        Assert.DoesNotContain("return null;", formatted.After, StringComparison.Ordinal);
        Assert.DoesNotContain("return false;", formatted.After, StringComparison.Ordinal);
        Assert.DoesNotContain("continue;", formatted.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_passes_after_dotnet_format_fixed_the_code()
    {
        var formatted = await fixture.FormattedConsumer;

        Assert.True(formatted.Build.Succeeded, formatted.Build.ToString());
        Assert.DoesNotContain(formatted.Build.Diagnostics, d => d.Id.StartsWith("MCPSEC", StringComparison.Ordinal) || d.IsError);
    }

    [Fact]
    public async Task Editorconfig_severity_none_silences_MCPSEC202()
    {
        var consumer = fixture.CreateConsumer("Silenced", new Dictionary<string, string>
        {
            ["Webhooks.cs"] = ConsumerSources.SwallowingHandlerAndMessageOnlyReport,
            [".editorconfig"] = """
                [*.cs]
                dotnet_diagnostic.MCPSEC202.severity = none
                """,
        });

        var build = await consumer.BuildAsync();

        Assert.True(build.Succeeded, build.ToString());
        Assert.DoesNotContain(build.Diagnostics, d => d.Id == "MCPSEC202");

        // The analyzers did run: the MCPSEC203 warning in the same file is still reported.
        Assert.Contains(build.Diagnostics, d => d is { Id: "MCPSEC203", Severity: "warning" });
        AssertAnalyzersLoaded(build);
    }

    /// <summary>An analyzer that fails to load (CS8032) or throws (AD0001) reports nothing at all.</summary>
    private static void AssertAnalyzersLoaded(DotnetRun build)
        => Assert.DoesNotContain(build.Diagnostics, d => d.Id is "CS8032" or "CS8033" or "AD0001" or "CS9057");

    /// <summary>
    /// The rule IDs of the results, and the help link of each rule described: read from any object
    /// with <c>ruleId</c>, or with <c>id</c> and <c>helpUri</c>, so both SARIF 1.0 and 2.1 logs work.
    /// </summary>
    private static (HashSet<string> ResultRuleIds, Dictionary<string, string> HelpUris) ReadSarif(JsonElement root)
    {
        var ruleIds = new HashSet<string>(StringComparer.Ordinal);
        var helpUris = new Dictionary<string, string>(StringComparer.Ordinal);
        var pending = new Stack<JsonElement>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var element = pending.Pop();
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    pending.Push(item);
                }
            }
            else if (element.ValueKind == JsonValueKind.Object)
            {
                if (element.TryGetProperty("ruleId", out var ruleId) && ruleId.ValueKind == JsonValueKind.String)
                {
                    ruleIds.Add(ruleId.GetString()!);
                }

                if (element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                    && element.TryGetProperty("helpUri", out var helpUri) && helpUri.ValueKind == JsonValueKind.String)
                {
                    helpUris[id.GetString()!] = helpUri.GetString()!;
                }

                foreach (var property in element.EnumerateObject())
                {
                    pending.Push(property.Value);
                }
            }
        }

        return (ruleIds, helpUris);
    }

    [GeneratedRegex(@"\bcatch\s*(when\b|\{)")]
    private static partial Regex BareCatch();

    [GeneratedRegex(@"\bcatch\b")]
    private static partial Regex CatchClause();

    [GeneratedRegex(@"\bthrow\s*;")]
    private static partial Regex Rethrow();
}
