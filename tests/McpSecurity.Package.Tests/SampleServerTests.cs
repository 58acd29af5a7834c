using System.Text.RegularExpressions;
using McpSecurity.Package.Tests.Infrastructure;

namespace McpSecurity.Package.Tests;

/// <summary>
/// samples/VulnerableMcpServer must fail the gate with exactly the violations planted in it: each
/// one marked <c>// planted: MCPSEC###</c> on the line the diagnostic starts, listed in its README.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed partial class SampleServerTests(PackageFixture fixture)
{
    /// <summary>The rules the sample breaks. A rule issue that plants a new violation adds its ID here.</summary>
    private static readonly string[] PinnedRuleIds =
    [
        "MCPSEC101", "MCPSEC102", "MCPSEC103", "MCPSEC201", "MCPSEC202", "MCPSEC203", "MCPSEC301",
        "MCPSEC401", "MCPSEC402", "MCPSEC404", "MCPSEC405", "MCPSEC501", "MCPSEC502", "MCPSEC503", "MCPSEC504",
        "MCPSEC601", "MCPSEC602", "MCPSEC603", "MCPSEC605", "MCPSEC606", "MCPSEC607", "MCPSEC608", "MCPSEC609", "MCPSEC610",
    ];

    /// <summary>
    /// Default severities: the warnings show in the build output but do not fail it. A rule that reports
    /// some findings as warnings (MCPSEC503 for <c>ex.Message</c> alone) marks them <c>// planted: MCPSEC503 (warning)</c>.
    /// </summary>
    private static readonly string[] WarningRuleIds = ["MCPSEC203", "MCPSEC301", "MCPSEC404", "MCPSEC603", "MCPSEC608", "MCPSEC609", "MCPSEC610"];

    private string SampleDirectory => Path.Combine(fixture.SourceCopy, "samples", "VulnerableMcpServer");

    [Fact]
    public async Task Sample_server_build_fails_with_the_pinned_rule_ids_and_no_compiler_errors()
    {
        var build = await fixture.SampleBuild;

        Assert.False(build.Succeeded, build.ToString());
        var ids = build.Diagnostics.Where(d => d.Id.StartsWith("MCPSEC", StringComparison.Ordinal)).Select(d => d.Id).ToHashSet();
        Assert.Equal(PinnedRuleIds.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(build.Diagnostics, d => d.Id.StartsWith("CS", StringComparison.Ordinal) && d.IsError);
    }

    [Fact]
    public async Task Sample_server_raises_exactly_the_planted_diagnostics_and_nothing_else()
    {
        var build = await fixture.SampleBuild;

        var expected = PlantedViolations().Select(p => $"{p.File}({p.Line}): {p.Id}").Order(StringComparer.Ordinal).ToList();
        var actual = build.Diagnostics
            .Select(d => $"{RelativeToSample(d.File)}({d.Line}): {d.Id}")
            .Order(StringComparer.Ordinal)
            .ToList();

        // Also catches false positives: the correct handlers in the sample must not be flagged, and
        // apart from what was planted the sample builds without any warning or error.
        Assert.Equal(expected, actual);
        var warnings = PlantedViolations().Where(p => p.Warning).Select(p => $"{p.File}({p.Line}): {p.Id}").ToHashSet();
        Assert.All(build.Diagnostics, d => Assert.Equal(
            WarningRuleIds.Contains(d.Id) || warnings.Contains($"{RelativeToSample(d.File)}({d.Line}): {d.Id}") ? "warning" : "error",
            d.Severity));
    }

    [Fact]
    public void Sample_markers_and_readme_list_exactly_the_pinned_rule_ids()
    {
        var marked = PlantedViolations().Select(p => p.Id).ToHashSet();
        var listed = ReadmeRuleId().Matches(File.ReadAllText(Path.Combine(SampleDirectory, "README.md"))).Select(m => m.Value).ToHashSet();

        Assert.Equal(PinnedRuleIds.Order(StringComparer.Ordinal), marked.Order(StringComparer.Ordinal));
        Assert.Equal(PinnedRuleIds.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    private List<(string File, int Line, string Id, bool Warning)> PlantedViolations()
    {
        var planted = new List<(string, int, string, bool)>();
        foreach (var file in Directory.EnumerateFiles(SampleDirectory, "*.cs", SearchOption.AllDirectories))
        {
            var relative = RelativeToSample(file);
            if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var index = 0; index < lines.Length; index++)
            {
                foreach (Match match in PlantedMarker().Matches(lines[index]))
                {
                    planted.Add((relative, index + 1, match.Groups["id"].Value, match.Groups["warning"].Success));
                }
            }
        }

        return planted;
    }

    private string RelativeToSample(string path)
        => Path.IsPathRooted(path) ? Path.GetRelativePath(SampleDirectory, path).Replace('\\', '/') : path;

    [GeneratedRegex(@"//\s*planted:\s*(?<id>MCPSEC\d{3})\b(?<warning>\s*\(warning\))?")]
    private static partial Regex PlantedMarker();

    [GeneratedRegex(@"MCPSEC\d{3}")]
    private static partial Regex ReadmeRuleId();
}
