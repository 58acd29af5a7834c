using System.Diagnostics;
using System.Text.Json;
using McpSecurity.Analyzers;
using McpSecurity.Server.Tools;

namespace McpSecurity.Server.Tests;

/// <summary>
/// The reports a script or code scanning reads: one rule for naming a file in every output (relative to
/// the directory the command ran in, absolute outside it), a versioned JSON report, a SARIF log with the
/// tool's version and <c>%SRCROOT%</c>-relative URIs, and each rule's page shipped inside the tool.
/// </summary>
public sealed class CommandLineReportTests
{
    [Fact]
    public async Task Text_json_sarif_and_fix_name_a_file_relative_to_the_directory_the_command_ran_in()
    {
        using var folder = new TempFolder();
        folder.Write(Path.Combine("src", "Tools.cs"), Samples.Vulnerable);

        var text = await ServerProcess.RunAsync(["scan", "src"], workingDirectory: folder.Path);
        var json = await ServerProcess.RunAsync(["scan", "src", "--format", "json"], workingDirectory: folder.Path);
        var sarif = await ServerProcess.RunAsync(["scan", "src", "--format", "sarif"], workingDirectory: folder.Path);
        var fix = await ServerProcess.RunAsync(["fix", "src", "--rule", "MCPSEC201"], workingDirectory: folder.Path);

        var lines = text.StandardOutput.Split('\n').Where(line => line.Contains(": error MCPSEC", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.StartsWith("src/Tools.cs(", line, StringComparison.Ordinal));
        Assert.Equal(["src/Tools.cs", "src/Tools.cs"], JsonFiles(json.StandardOutput));

        using var log = JsonDocument.Parse(sarif.StandardOutput);
        var run = log.RootElement.GetProperty("runs")[0];
        Assert.Equal(
            new Uri(folder.Path + Path.DirectorySeparatorChar).AbsoluteUri,
            run.GetProperty("originalUriBaseIds").GetProperty("%SRCROOT%").GetProperty("uri").GetString());
        Assert.All(ArtifactLocations(run), location =>
        {
            Assert.Equal("src/Tools.cs", location.GetProperty("uri").GetString());
            Assert.Equal("%SRCROOT%", location.GetProperty("uriBaseId").GetString());
        });

        Assert.True(fix.ExitCode == 0, ServerProcess.Describe(fix));
        Assert.Contains("fixed: src/Tools.cs", fix.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(folder.Path, fix.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_messages_name_the_path_as_the_findings_do()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "empty"));

        var empty = await ServerProcess.RunAsync(["scan", "empty"], workingDirectory: folder.Path);
        var missing = await ServerProcess.RunAsync(["scan", "missing.cs"], workingDirectory: folder.Path);

        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("No C# sources (.cs files) under empty.", empty.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("Path not found: missing.cs", missing.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(folder.Path, empty.StandardError + missing.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_outside_the_current_directory_is_named_by_its_full_path_in_every_format()
    {
        using var folder = new TempFolder();
        using var elsewhere = new TempFolder();
        var file = folder.Write("Tools.cs", Samples.Vulnerable);

        var text = await ServerProcess.RunAsync(["scan", file], workingDirectory: elsewhere.Path);
        var json = await ServerProcess.RunAsync(["scan", file, "--format", "json"], workingDirectory: elsewhere.Path);
        var sarif = await ServerProcess.RunAsync(["scan", file, "--format", "sarif"], workingDirectory: elsewhere.Path);

        Assert.Contains(file + "(8,9): error MCPSEC201", text.StandardOutput, StringComparison.Ordinal);
        Assert.Equal([file, file], JsonFiles(json.StandardOutput));
        using var log = JsonDocument.Parse(sarif.StandardOutput);
        Assert.All(ArtifactLocations(log.RootElement.GetProperty("runs")[0]), location =>
        {
            Assert.Equal(new Uri(file).AbsoluteUri, location.GetProperty("uri").GetString());
            Assert.False(location.TryGetProperty("uriBaseId", out _), "A file outside %SRCROOT% is not relative to it.");
        });
    }

    [Fact]
    public async Task Json_report_carries_its_schema_version_and_sarif_the_tool_version()
    {
        using var folder = new TempFolder();
        var file = folder.Write("Tools.cs", Samples.Vulnerable);
        var version = FileVersionInfo.GetVersionInfo(ServerProcess.ServerDll).ProductVersion;
        Assert.False(string.IsNullOrEmpty(version));

        var json = await ServerProcess.RunAsync(["scan", file, "--format", "json"]);
        var sarif = await ServerProcess.RunAsync(["scan", file, "--format", "sarif"]);

        using var report = JsonDocument.Parse(json.StandardOutput);
        Assert.Equal(1, report.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(version, report.RootElement.GetProperty("tool").GetProperty("version").GetString());
        using var log = JsonDocument.Parse(sarif.StandardOutput);
        var driver = log.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver");
        Assert.Equal(version, driver.GetProperty("version").GetString());
        Assert.Equal(version, driver.GetProperty("semanticVersion").GetString());
    }

    public static TheoryData<string> RuleIds => [.. RuleCatalog.All.Select(rule => rule.Id)];

    // The pages are embedded by a glob over docs/rules: a new rule's page lands in the tool by itself.
    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rule_has_its_page_embedded_in_the_tool(string id)
    {
        var page = RulePages.Find(id.ToLowerInvariant());

        Assert.NotNull(page);
        Assert.Equal(File.ReadAllText(Path.Combine(ServerProcess.RepositoryRoot, "docs", "rules", id + ".md")).ReplaceLineEndings("\n"), page);
        Assert.Equal(page, SecurityTools.ExplainRule(id).Page);
    }

    [Fact]
    public async Task Rules_prints_a_rules_page_with_no_network_and_no_repository()
    {
        using var elsewhere = new TempFolder();

        var outcome = await ServerProcess.RunAsync(["rules", "MCPSEC401"], workingDirectory: elsewhere.Path);

        Assert.True(outcome.ExitCode == 0, ServerProcess.Describe(outcome));
        Assert.StartsWith("# MCPSEC401: Command run through a shell", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("## Non-compliant", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("## Known limits", outcome.StandardOutput, StringComparison.Ordinal);
    }

    private static List<string?> JsonFiles(string report)
    {
        using var document = JsonDocument.Parse(report);
        return document.RootElement.GetProperty("findings").EnumerateArray().Select(finding => finding.GetProperty("file").GetString()).ToList();
    }

    private static List<JsonElement> ArtifactLocations(JsonElement run)
    {
        var locations = run.GetProperty("results").EnumerateArray()
            .Select(result => result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").Clone())
            .ToList();
        Assert.NotEmpty(locations);
        return locations;
    }
}
