namespace McpSecurity.Server.Tests;

/// <summary>The command line never passes silently: input that cannot be what the user meant exits 2 or is named.</summary>
public sealed class CommandLineBadInputTests
{
    [Fact]
    public async Task Fix_with_an_unknown_rule_exits_2_and_names_it()
    {
        using var folder = new TempFolder();
        folder.Write("Tools.cs", Samples.Vulnerable);

        var outcome = await ServerProcess.RunAsync(["fix", folder.Path, "--rule", "MCPSEC999", "--dry-run"]);

        Assert.True(outcome.ExitCode == 2, ServerProcess.Describe(outcome));
        Assert.Contains("unknown rule 'MCPSEC999'", outcome.StandardError, StringComparison.Ordinal);
        Assert.Empty(outcome.StandardOutput);
    }

    [Fact]
    public async Task Scan_with_an_unknown_rule_exits_2_before_scanning()
    {
        using var folder = new TempFolder();
        folder.Write("Tools.cs", Samples.Vulnerable);

        var outcome = await ServerProcess.RunAsync(["scan", folder.Path, "--rule", "MCPSEC201", "MCPSEC999"]);

        Assert.True(outcome.ExitCode == 2, ServerProcess.Describe(outcome));
        Assert.Contains("unknown rule 'MCPSEC999'", outcome.StandardError, StringComparison.Ordinal);
        Assert.Empty(outcome.StandardOutput);
    }

    [Fact]
    public async Task Scan_with_a_rule_reports_only_that_rule()
    {
        using var folder = new TempFolder();
        folder.Write("Tools.cs", Samples.Vulnerable);

        var all = await ServerProcess.RunAsync(["scan", folder.Path]);
        var one = await ServerProcess.RunAsync(["scan", folder.Path, "--rule", "mcpsec201"]);

        var allIds = FindingIds(all.StandardOutput);
        Assert.Contains("MCPSEC201", allIds);
        Assert.Contains(allIds, id => id != "MCPSEC201");
        Assert.True(one.ExitCode == 1, ServerProcess.Describe(one));
        Assert.Equal(allIds.Count(id => id == "MCPSEC201"), FindingIds(one.StandardOutput).Count);
        Assert.All(FindingIds(one.StandardOutput), id => Assert.Equal("MCPSEC201", id));
    }

    private static List<string> FindingIds(string report)
        => System.Text.RegularExpressions.Regex.Matches(report, @"\): (?:error|warning|info) (MCPSEC\d{3}):")
            .Select(m => m.Groups[1].Value)
            .ToList();

    [Fact]
    public async Task Scan_of_a_folder_without_csharp_sources_exits_2()
    {
        using var folder = new TempFolder();
        folder.Write("README.md", "# not code");

        var outcome = await ServerProcess.RunAsync(["scan", folder.Path]);

        Assert.True(outcome.ExitCode == 2, ServerProcess.Describe(outcome));
        Assert.Contains("No C# sources", outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_names_a_file_that_does_not_parse_and_fix_leaves_it_alone()
    {
        using var folder = new TempFolder();
        // The vulnerable tool with its last brace gone: findings still come, but from the parser's recovery.
        var broken = Samples.Vulnerable.TrimEnd()[..^1];
        var file = folder.Write("Broken.cs", broken);
        folder.Write("Tools.cs", Samples.Vulnerable);

        var scan = await ServerProcess.RunAsync(["scan", folder.Path]);
        var fix = await ServerProcess.RunAsync(["fix", folder.Path]);

        Assert.Contains("warning: does not parse", scan.StandardError, StringComparison.Ordinal);
        Assert.Contains("Broken.cs(", scan.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Tools.cs(", scan.StandardError, StringComparison.Ordinal);
        Assert.Contains("Broken.cs", scan.StandardOutput, StringComparison.Ordinal);

        Assert.Equal(broken, File.ReadAllText(file));
        Assert.Contains("fixed: ", fix.StandardError, StringComparison.Ordinal);
        Assert.Contains("the file has syntax errors", fix.StandardError, StringComparison.Ordinal);
        Assert.True(fix.ExitCode == 1, ServerProcess.Describe(fix));
    }

    [Fact]
    public async Task Scan_restores_a_project_that_was_not_restored_so_the_sdk_rules_see_its_tools()
    {
        using var folder = new TempFolder();
        var project = folder.Write("App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ModelContextProtocol" Version="2.3.1" />
              </ItemGroup>
            </Project>
            """);
        folder.Write("App/Tools.cs", """
            using System;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public static class Tools
            {
                [McpServerTool]
                public static string Lookup(string id)
                {
                    try
                    {
                        return int.Parse(id).ToString();
                    }
                    catch (Exception ex)
                    {
                        return ex.ToString();
                    }
                }
            }
            """);

        var outcome = await ServerProcess.RunAsync(["scan", project]);

        // MCPSEC503 needs [McpServerTool] to bind: without the package it is not reported at all.
        Assert.True(outcome.ExitCode == 1, ServerProcess.Describe(outcome));
        Assert.Contains("Restoring", outcome.StandardError, StringComparison.Ordinal);
        Assert.Contains("MCPSEC503", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder.Path, "App", "obj", "project.assets.json")));
    }
}
