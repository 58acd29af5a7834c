using System.IO.Compression;
using McpSecurity.Analyzers;
using McpSecurity.Package.Tests.Infrastructure;
using McpSecurity.Presets;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Package.Tests;

/// <summary>
/// <c>McpSecurityAnalysisMode</c> as a user sets it in a project that references the packed package:
/// each preset changes what the build reports, the user's own .editorconfig still wins, and every
/// rule of the catalogue is in every preset the package ships.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class AnalysisModeTests(PackageFixture fixture)
{
    [Theory]
    [InlineData(null, "MCPSEC101:error MCPSEC202:error MCPSEC203:warning")]
    [InlineData("recommended", "MCPSEC101:error MCPSEC202:error MCPSEC203:warning")]
    [InlineData("Strict", "MCPSEC101:error MCPSEC202:error MCPSEC203:error")]
    [InlineData("Minimal", "MCPSEC101:error")]
    [InlineData("None", "")]
    public async Task Each_mode_sets_the_severities_the_build_reports(string? mode, string expected)
    {
        var consumer = CreateConsumer("Mode-" + (mode ?? "default"), mode);

        var build = await consumer.BuildAsync();

        Assert.Equal(expected, Reported(build));
        Assert.Equal(expected.Contains(":error", StringComparison.Ordinal), !build.Succeeded);
        Assert.DoesNotContain(build.Diagnostics, d => d.Id is "CS8032" or "AD0001");
    }

    [Fact]
    public async Task Editorconfig_entries_override_the_preset()
    {
        var consumer = CreateConsumer("Mode-Strict-Overridden", "Strict", """
            [*.cs]
            dotnet_diagnostic.MCPSEC202.severity = none
            dotnet_diagnostic.MCPSEC203.severity = warning
            """);

        var build = await consumer.BuildAsync();

        Assert.Equal("MCPSEC101:error MCPSEC203:warning", Reported(build));
    }

    [Fact]
    public async Task A_project_globalconfig_overrides_the_preset()
    {
        var consumer = CreateConsumer("Mode-Minimal-Globalconfig", "Minimal", files: new Dictionary<string, string>
        {
            // Found by the SDK next to the project, at the default level of a user's globalconfig (100).
            [".globalconfig"] = """
                is_global = true
                dotnet_diagnostic.MCPSEC101.severity = warning
                dotnet_diagnostic.MCPSEC203.severity = warning
                """,
        });

        var build = await consumer.BuildAsync();

        Assert.True(build.Succeeded, build.ToString());
        Assert.Equal("MCPSEC101:warning MCPSEC203:warning", Reported(build));
    }

    // The default preset sets no rule by ID: an ID entry in a globalconfig beats a category entry in
    // .editorconfig, and the README's category line would silently stop working.
    [Fact]
    public async Task Editorconfig_category_entry_still_sets_every_rule_under_the_default_preset()
    {
        var consumer = CreateConsumer("Mode-Default-Category", mode: null, """
            [*.cs]
            dotnet_analyzer_diagnostic.category-McpSecurity.severity = warning
            """);

        var build = await consumer.BuildAsync();

        Assert.True(build.Succeeded, build.ToString());
        Assert.Equal("MCPSEC101:warning MCPSEC202:warning MCPSEC203:warning", Reported(build));
    }

    [Fact]
    public async Task A_misspelt_mode_fails_the_build_and_names_the_modes()
    {
        var consumer = CreateConsumer("Mode-Misspelt", "Stirct");

        var build = await consumer.BuildAsync();

        Assert.False(build.Succeeded, build.ToString());
        var error = Assert.Single(build.Diagnostics, d => d.Id == "MCPSEC0001");
        Assert.Contains("'Stirct'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Recommended, Strict, Minimal or None", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<AnalysisMode> Modes => [.. Enum.GetValues<AnalysisMode>()];

    [Theory]
    [MemberData(nameof(Modes))]
    public void Packed_preset_gives_every_catalogue_rule_the_severity_of_its_mode(AnalysisMode mode)
    {
        var entries = ReadPreset(mode);

        Assert.Equal("true", entries.GetValueOrDefault("is_global"));
        Assert.Equal("-100", entries.GetValueOrDefault("global_level"));
        Assert.NotEmpty(RuleCatalog.All);
        foreach (var rule in RuleCatalog.All)
        {
            // How the compiler reads it: an ID entry, else the category entry, else the rule's default.
            var effective = entries.GetValueOrDefault($"dotnet_diagnostic.{rule.Id}.severity")
                ?? entries.GetValueOrDefault($"dotnet_analyzer_diagnostic.category-{RuleCatalog.Category}.severity")
                ?? DefaultValue(rule);
            Assert.True(
                AnalysisModePresets.SeverityOf(mode, rule) == effective,
                $"{mode} gives {rule.Id} '{effective}', not '{AnalysisModePresets.SeverityOf(mode, rule)}'.");
        }
    }

    [Fact]
    public void Severity_rule_of_each_mode_is_the_documented_one()
    {
        var rules = RuleCatalog.All;

        Assert.All(rules, rule => Assert.Equal(DefaultValue(rule), AnalysisModePresets.SeverityOf(AnalysisMode.Recommended, rule)));
        Assert.All(rules, rule => Assert.Equal("error", AnalysisModePresets.SeverityOf(AnalysisMode.Strict, rule)));
        Assert.All(rules, rule => Assert.Equal("none", AnalysisModePresets.SeverityOf(AnalysisMode.None, rule)));

        // Minimal keeps the secrets and command-execution rules and drops exception handling.
        var minimal = rules.Where(rule => AnalysisModePresets.SeverityOf(AnalysisMode.Minimal, rule) == "error").Select(rule => rule.Id).ToList();
        Assert.Contains("MCPSEC101", minimal);
        Assert.Contains("MCPSEC401", minimal);
        Assert.DoesNotContain("MCPSEC201", minimal);
        Assert.DoesNotContain("MCPSEC202", minimal);
        Assert.All(rules.Where(rule => minimal.Contains(rule.Id)), rule => Assert.Equal(DiagnosticSeverity.Error, rule.DefaultSeverity));
    }

    private ConsumerProject CreateConsumer(string name, string? mode, string? editorConfig = null, Dictionary<string, string>? files = null)
    {
        files ??= [];
        files["Gateway.cs"] = ConsumerSources.SecretSwallowAndMessageOnly;
        if (editorConfig is not null)
        {
            files[".editorconfig"] = editorConfig;
        }

        var properties = """
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            """;
        if (mode is not null)
        {
            properties += $"\n    <McpSecurityAnalysisMode>{mode}</McpSecurityAnalysisMode>";
        }

        return fixture.CreateConsumer(name, files, properties);
    }

    /// <summary>The MCPSEC diagnostics of a build as "ID:severity", ordered, space-separated.</summary>
    private static string Reported(DotnetRun build)
        => string.Join(' ', build.Diagnostics
            .Where(d => d.Id.StartsWith("MCPSEC", StringComparison.Ordinal) && d.Id.Length == "MCPSEC000".Length)
            .Select(d => $"{d.Id}:{d.Severity}")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal));

    private Dictionary<string, string> ReadPreset(AnalysisMode mode)
    {
        using var package = ZipFile.OpenRead(fixture.PackagePath);
        var entry = package.GetEntry("build/config/" + AnalysisModePresets.FileName(mode));
        Assert.NotNull(entry);
        using var reader = new StreamReader(entry!.Open());
        return reader.ReadToEnd().Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#') && line.Contains('=', StringComparison.Ordinal))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.Ordinal);
    }

    private static string DefaultValue(DiagnosticDescriptor rule) => rule.DefaultSeverity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "suggestion",
        _ => "silent",
    };
}
