namespace McpSecurity.Server.Tests;

/// <summary>The command line keeps full MSBuild loading for a user's own repository, without the server's key.</summary>
public sealed class ScanIsolationCliTests
{
    [Fact]
    public async Task Cli_scan_of_a_project_runs_its_targets_but_they_never_see_SECRET_KEY()
    {
        const string key = "cli-scan-secret-0123456789abcdef0123456789";
        using var folder = new TempFolder();
        folder.Write("App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <Target Name="Leak" BeforeTargets="CollectPackageReferences;ResolveAssemblyReferences;CoreCompile;Build">
                <Exec Command="echo leaked-$(SECRET_KEY) &gt; $(MSBuildProjectDirectory)/leaked.txt" />
              </Target>
            </Project>
            """);
        folder.Write("App/Tools.cs", Samples.Vulnerable);

        var outcome = await ServerProcess.RunAsync(["scan", Path.Combine(folder.Path, "App", "App.csproj")], new Dictionary<string, string?> { ["SECRET_KEY"] = key });

        Assert.True(outcome.ExitCode == 1, ServerProcess.Describe(outcome));
        var leaked = Path.Combine(folder.Path, "App", "leaked.txt");
        Assert.True(File.Exists(leaked), "the CLI loads projects with MSBuild, so the target runs");
        Assert.DoesNotContain(key, await File.ReadAllTextAsync(leaked), StringComparison.Ordinal);
    }
}
