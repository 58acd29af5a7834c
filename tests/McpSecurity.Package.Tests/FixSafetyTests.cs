using McpSecurity.Package.Tests.Infrastructure;
using Xunit.Abstractions;

namespace McpSecurity.Package.Tests;

/// <summary>
/// Every fix applied with Fix All through <c>dotnet format analyzers</c>, the path a user takes, on
/// real-shaped projects: the result builds with no compiler error, no new warning (the projects set
/// <c>TreatWarningsAsErrors</c>) and no conflict marker. Found by trying the fixes as a new user
/// would: markers in a multi-target project, CS9105 from a primary constructor's logger in a
/// static method, CS0162 after an inserted <c>throw;</c>.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class FixSafetyTests(PackageFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] FixableRuleIds =
    [
        "MCPSEC101", "MCPSEC102", "MCPSEC201", "MCPSEC202", "MCPSEC203",
        "MCPSEC401", "MCPSEC402", "MCPSEC403", "MCPSEC404", "MCPSEC501", "MCPSEC502", "MCPSEC503",
        "MCPSEC601", "MCPSEC602", "MCPSEC603", "MCPSEC604", "MCPSEC605", "MCPSEC606", "MCPSEC609", "MCPSEC610",
    ];

    [Fact]
    public async Task Fixes_in_a_multi_target_library_build_for_every_target_with_no_conflict_marker()
    {
        var consumer = fixture.CreateConsumer("FixSafetyLibrary", FixSafetySources.Library, """
                <TargetFrameworks>netstandard2.0;net8.0</TargetFrameworks>
                <LangVersion>latest</LangVersion>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
            """, """
                <PackageReference Include="Microsoft.Extensions.Logging.Abstractions" Version="8.0.0" />
            """);

        var after = await FixAndBuildAsync(consumer, FixSafetySources.Library);

        // The wait is bounded with what both targets have; the handlers with a logger keep their fallback.
        Assert.Contains("process.WaitForExit(30000)", after["Runner.cs"], StringComparison.Ordinal);
        Assert.Contains("_logger.LogError(", after["Handlers.cs"], StringComparison.Ordinal);
        Assert.Contains("return null;", after["Handlers.cs"], StringComparison.Ordinal);
        Assert.Contains("continue;", after["Handlers.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fixes_in_an_app_with_top_level_statements_and_primary_constructors_build_warning_free()
    {
        var consumer = fixture.CreateConsumer("FixSafetyApp", FixSafetySources.App, """
                <TargetFramework>net10.0</TargetFramework>
                <OutputType>Exe</OutputType>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
            """, """
                <PackageReference Include="Microsoft.Extensions.Logging.Abstractions" Version="8.0.0" />
            """);

        var after = await FixAndBuildAsync(consumer, FixSafetySources.App);

        Assert.Contains("logger.LogError(", after["CliTools.cs"], StringComparison.Ordinal);
        Assert.Contains("ArgumentList", after["CliTools.cs"], StringComparison.Ordinal);

        // The static secrets of both types (a literal, a fallback; fixed in separate passes) are read
        // at startup, one line per type, before the first top-level statement.
        var program = after["Program.cs"];
        var runTools = program.IndexOf("RunClassConstructor(typeof(App.CliTools).TypeHandle);", StringComparison.Ordinal);
        var runKeys = program.IndexOf("RunClassConstructor(typeof(App.Keys).TypeHandle);", StringComparison.Ordinal);
        Assert.True(runTools >= 0 && runKeys >= 0, program);
        Assert.True(runTools < program.IndexOf("var token", StringComparison.Ordinal) && runKeys < program.IndexOf("var token", StringComparison.Ordinal), program);
        Assert.Equal(program.LastIndexOf("typeof(App.Keys)", StringComparison.Ordinal), program.IndexOf("typeof(App.Keys)", StringComparison.Ordinal));
    }

    /// <summary>Builds, fixes every fixable rule with <c>dotnet format analyzers</c>, builds again, and checks the result.</summary>
    private async Task<Dictionary<string, string>> FixAndBuildAsync(ConsumerProject consumer, IReadOnlyDictionary<string, string> files)
    {
        var before = await consumer.BuildAsync();
        Assert.DoesNotContain(before.Diagnostics, d => d.Id.StartsWith("CS", StringComparison.Ordinal));
        var findingsBefore = Findings(before);
        Assert.NotEmpty(findingsBefore);

        var format = await consumer.FormatAnalyzersAsync(FixableRuleIds);
        Assert.True(format.Succeeded, format.ToString());

        var after = files.Keys.ToDictionary(name => name, consumer.ReadFile);
        var markers = after.Where(f => f.Value.Contains("<<<<<<<", StringComparison.Ordinal) || f.Value.Contains("TODO: Unmerged change", StringComparison.Ordinal))
            .Select(f => f.Key)
            .ToList();
        var build = await consumer.BuildAsync();
        var compilerProblems = build.Diagnostics.Where(d => d.Id.StartsWith("CS", StringComparison.Ordinal)).ToList();
        var findingsAfter = Findings(build);
        output.WriteLine($"{Path.GetFileName(consumer.ProjectPath)}: {findingsBefore.Count} findings before, {findingsAfter.Count} after "
            + $"({findingsBefore.Count - findingsAfter.Count} fixed); compiler errors or warnings after: {compilerProblems.Count}; files with conflict markers: {markers.Count}");
        foreach (var problem in compilerProblems)
        {
            output.WriteLine("  " + problem);
        }

        foreach (var finding in findingsAfter)
        {
            output.WriteLine("  not fixed: " + finding);
        }

        Assert.Empty(markers);
        Assert.Equal(files["Generated.g.cs"], after["Generated.g.cs"]);
        Assert.True(compilerProblems.Count == 0, string.Join(Environment.NewLine, compilerProblems) + Environment.NewLine + string.Join(
            Environment.NewLine + "-----" + Environment.NewLine, after.Select(f => f.Key + Environment.NewLine + f.Value)));
        Assert.True(findingsAfter.Count == 0, build.ToString());
        return after;
    }

    private static List<string> Findings(DotnetRun build)
        => build.Diagnostics
            .Where(d => d.Id.StartsWith("MCPSEC", StringComparison.Ordinal))
            .Select(d => $"{Path.GetFileName(d.File)}({d.Line}): {d.Id}")
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
