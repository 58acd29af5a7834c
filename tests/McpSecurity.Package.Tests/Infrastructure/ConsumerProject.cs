namespace McpSecurity.Package.Tests.Infrastructure;

/// <summary>
/// A scratch class library that references the packed analyzers as a user would, with
/// <c>PackageReference</c>. It lives under the fixture's consumers folder, outside the repository.
/// </summary>
public sealed class ConsumerProject
{
    private ConsumerProject(string directory, string projectPath)
    {
        Directory = directory;
        ProjectPath = projectPath;
    }

    public string Directory { get; }

    public string ProjectPath { get; }

    public static ConsumerProject Create(string directory, string packageId, string version, IReadOnlyDictionary<string, string> files)
        => Create(directory, packageId, version, files, """
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            """);

    /// <param name="properties">The project's PropertyGroup content (target frameworks, language settings).</param>
    /// <param name="items">More ItemGroup content (package references the code needs).</param>
    public static ConsumerProject Create(
        string directory, string packageId, string version, IReadOnlyDictionary<string, string> files, string properties, string items = "")
    {
        System.IO.Directory.CreateDirectory(directory);
        var projectPath = Path.Combine(directory, Path.GetFileName(directory) + ".csproj");
        File.WriteAllText(projectPath, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
            {properties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{packageId}" Version="{version}" PrivateAssets="all" />
            {items}
              </ItemGroup>
            </Project>
            """);
        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(directory, name), content);
        }

        return new ConsumerProject(directory, projectPath);
    }

    public string ReadFile(string name) => File.ReadAllText(Path.Combine(Directory, name));

    public Task<DotnetRun> BuildAsync(params string[] options)
        => DotnetCli.RunAsync(Directory, ["build", ProjectPath, .. DotnetCli.IsolatedBuildOptions, .. options]);

    /// <summary><c>dotnet format analyzers</c> restricted to the given diagnostics, as a user fixes a repo.</summary>
    public Task<DotnetRun> FormatAnalyzersAsync(params string[] diagnosticIds)
        => DotnetCli.RunAsync(
            Directory,
            ["format", "analyzers", ProjectPath, "--diagnostics", .. diagnosticIds, "--severity", "info", "--verbosity", "normal"]);
}
