using System.Text.Json;
using McpSecurity.Package.Tests.Infrastructure;

namespace McpSecurity.Package.Tests;

/// <summary>
/// What code scanning reads: the build's SARIF (<c>ErrorLog=…%2Cversion%3D2.1</c>, as the README and the
/// workflow example in docs/code-scanning.md write it) and <c>mcpsec scan --format sarif</c>, both valid
/// against the official SARIF 2.1.0 schema, the CLI's with its version and repository-relative paths.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class CodeScanningTests(PackageFixture fixture)
{
    [Fact]
    public async Task Build_error_log_is_valid_SARIF_2_1_0()
    {
        var vulnerable = await fixture.VulnerableConsumer;
        Assert.True(File.Exists(vulnerable.SarifPath), vulnerable.Build.ToString());

        var errors = await SarifSchema.ValidateAsync(File.ReadAllText(vulnerable.SarifPath));

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task Error_log_directory_gives_each_project_its_own_valid_SARIF_2_1_0_log()
    {
        var consumer = fixture.CreateConsumer("ErrorLogFolder", new Dictionary<string, string>
        {
            ["MailClient.cs"] = ConsumerSources.BareAndSwallowingHandlers,
        });
        var folder = Path.Combine(consumer.Directory, "sarif logs");

        var build = await consumer.BuildAsync($"-p:McpSecurityErrorLogDirectory={folder}");

        Assert.False(build.Succeeded, build.ToString());
        var log = Path.Combine(folder, "ErrorLogFolder.sarif");
        Assert.True(File.Exists(log), $"No SARIF log at {log}.{Environment.NewLine}{build}");
        var text = File.ReadAllText(log);
        var errors = await SarifSchema.ValidateAsync(text);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        using var sarif = JsonDocument.Parse(text);
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        var ruleIds = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Select(result => result.GetProperty("ruleId").GetString()!)
            .Where(id => id.StartsWith("MCPSEC", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(["MCPSEC201", "MCPSEC202", "MCPSEC202"], ruleIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Cli_sarif_is_valid_SARIF_2_1_0_with_the_tool_version_and_paths_relative_to_SRCROOT()
    {
        var tool = await fixture.InstalledTool;
        var repository = Path.Combine(fixture.WorkRoot, "cli-sarif repo");
        Directory.CreateDirectory(Path.Combine(repository, "src"));
        File.WriteAllText(Path.Combine(repository, "src", "Mail Client.cs"), ConsumerSources.BareAndSwallowingHandlers);

        // Run from the repository's root, as the workflow does: the results are relative to it.
        var scan = await DotnetCli.RunToolAsync(tool.CommandPath, repository, ["scan", "src", "--format", "sarif", "--output", "mcpsec.sarif"]);
        Assert.True(scan.ExitCode == 1, scan.ToString());
        var text = File.ReadAllText(Path.Combine(repository, "mcpsec.sarif"));

        var errors = await SarifSchema.ValidateAsync(text);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));

        using var log = JsonDocument.Parse(text);
        var run = log.RootElement.GetProperty("runs")[0];
        var driver = run.GetProperty("tool").GetProperty("driver");
        Assert.StartsWith(fixture.Version, driver.GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.StartsWith(fixture.Version, driver.GetProperty("semanticVersion").GetString(), StringComparison.Ordinal);
        Assert.Equal(PackageFixture.HomeUrl, driver.GetProperty("informationUri").GetString());

        var root = run.GetProperty("originalUriBaseIds").GetProperty("%SRCROOT%").GetProperty("uri").GetString();
        Assert.Equal(new Uri(repository + Path.DirectorySeparatorChar).AbsoluteUri, root);
        var locations = run.GetProperty("results").EnumerateArray()
            .Select(result => result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation"))
            .ToList();
        Assert.Equal(3, locations.Count);
        Assert.All(locations, location =>
        {
            Assert.Equal("src/Mail%20Client.cs", location.GetProperty("uri").GetString());
            Assert.Equal("%SRCROOT%", location.GetProperty("uriBaseId").GetString());
        });

        // Every help link is built from the home the tool was built with (McpSecurityHomeUrl).
        Assert.All(driver.GetProperty("rules").EnumerateArray(), r => Assert.Equal(
            PackageFixture.RulePagesUrl + r.GetProperty("id").GetString() + ".md", r.GetProperty("helpUri").GetString()));

        // Every rule carries its page, so code scanning shows the help with no link to follow.
        var rule = driver.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "MCPSEC201");
        Assert.StartsWith("# MCPSEC201:", rule.GetProperty("help").GetProperty("markdown").GetString(), StringComparison.Ordinal);
        Assert.Equal(PackageFixture.RulePagesUrl + "MCPSEC201.md", rule.GetProperty("helpUri").GetString());
    }

    [Fact]
    public void Workflow_example_builds_with_the_error_log_these_tests_validate_and_uploads_it()
    {
        var page = File.ReadAllText(Path.Combine(fixture.RepositoryRoot, "docs", "code-scanning.md"));

        Assert.Contains("-p:McpSecurityErrorLogDirectory=", page, StringComparison.Ordinal);
        Assert.Contains("-p:ErrorLog=", page, StringComparison.Ordinal);
        Assert.Contains("%2Cversion%3D2.1", page, StringComparison.Ordinal);
        Assert.Contains("github/codeql-action/upload-sarif", page, StringComparison.Ordinal);
        Assert.Contains("security-events: write", page, StringComparison.Ordinal);
        Assert.Contains("--format sarif", page, StringComparison.Ordinal);
    }
}
