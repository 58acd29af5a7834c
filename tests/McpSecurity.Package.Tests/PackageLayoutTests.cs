using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using McpSecurity.Analyzers;
using McpSecurity.Package.Tests.Infrastructure;

namespace McpSecurity.Package.Tests;

/// <summary>
/// The one package: both assemblies under analyzers/dotnet/cs/, nothing under lib/, a development
/// dependency with a README, and assemblies that load in every compiler from Roslyn 4.8 on.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class PackageLayoutTests(PackageFixture fixture)
{
    private const string AnalyzerFolder = "analyzers/dotnet/cs/";
    private static readonly Version Roslyn = new(4, 8, 0, 0);

    [Fact]
    public void Package_carries_both_assemblies_under_analyzers_dotnet_cs_and_no_lib_folder()
    {
        using var package = ZipFile.OpenRead(fixture.PackagePath);
        var entries = package.Entries.Select(e => e.FullName.Replace('\\', '/')).ToList();

        Assert.Contains(AnalyzerFolder + "McpSecurity.Analyzers.dll", entries);
        Assert.Contains(AnalyzerFolder + "McpSecurity.CodeFixes.dll", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.OrdinalIgnoreCase));

        // No Roslyn or other third-party assembly travels along: the compiler provides them.
        var assemblies = entries.Where(e => e.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal);
        Assert.Equal([AnalyzerFolder + "McpSecurity.Analyzers.dll", AnalyzerFolder + "McpSecurity.CodeFixes.dll"], assemblies);
    }

    [Fact]
    public void Package_is_a_development_dependency_with_a_readme_an_MIT_license_and_no_dependencies()
    {
        using var package = ZipFile.OpenRead(fixture.PackagePath);
        var metadata = ReadNuspecMetadata(package);
        string? Value(string name) => metadata.Element(metadata.Name.Namespace + name)?.Value;

        Assert.Equal(PackageFixture.PackageId, Value("id"));
        Assert.Equal(fixture.Version, Value("version"));
        Assert.Equal("true", Value("developmentDependency"));
        Assert.Equal("MIT", Value("license"));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));
        Assert.False(string.IsNullOrWhiteSpace(Value("tags")));
        Assert.Null(metadata.Element(metadata.Name.Namespace + "dependencies"));

        var readme = Value("readme");
        Assert.False(string.IsNullOrEmpty(readme), "The nuspec names no README.");
        var readmeEntry = package.GetEntry(readme!);
        Assert.NotNull(readmeEntry);
        using var reader = new StreamReader(readmeEntry!.Open());
        Assert.Contains("MCPSEC201", reader.ReadToEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Package_project_and_repository_urls_come_from_the_home_property()
    {
        using var package = ZipFile.OpenRead(fixture.PackagePath);
        var metadata = ReadNuspecMetadata(package);

        Assert.Equal(PackageFixture.HomeUrl, metadata.Element(metadata.Name.Namespace + "projectUrl")?.Value);
        Assert.Equal(PackageFixture.HomeUrl, (string?)metadata.Element(metadata.Name.Namespace + "repository")?.Attribute("url"));
    }

    // The pages are packed by a glob over docs/rules: a new rule's page is in the next package by itself.
    [Fact]
    public void Package_carries_the_page_of_every_rule_under_docs_rules()
    {
        using var package = ZipFile.OpenRead(fixture.PackagePath);

        Assert.NotEmpty(RuleCatalog.All);
        foreach (var rule in RuleCatalog.All)
        {
            var entry = package.GetEntry($"docs/rules/{rule.Id}.md");
            Assert.True(entry is not null, $"The package has no page for {rule.Id}.");
            using var reader = new StreamReader(entry!.Open());
            Assert.Equal(File.ReadAllText(Path.Combine(fixture.RepositoryRoot, "docs", "rules", rule.Id + ".md")), reader.ReadToEnd());
        }
    }

    [Theory]
    [InlineData("McpSecurity.Analyzers.dll", new[] { "Microsoft.CodeAnalysis", "Microsoft.CodeAnalysis.CSharp" })]
    [InlineData("McpSecurity.CodeFixes.dll", new[] { "Microsoft.CodeAnalysis", "Microsoft.CodeAnalysis.CSharp", "Microsoft.CodeAnalysis.Workspaces" })]
    public void Shipped_assemblies_reference_Roslyn_4_8_and_nothing_newer(string assembly, string[] expectedRoslynReferences)
    {
        var references = ReadAssemblyReferences(assembly);
        var roslyn = references.Where(r => r.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)).ToList();

        foreach (var expected in expectedRoslynReferences)
        {
            Assert.Contains(roslyn, r => r.Name == expected);
        }

        // A newer reference fails to load in older compilers (CS8032): the analyzers then report nothing.
        Assert.All(roslyn, r => Assert.True(r.Version == Roslyn, $"{assembly} references {r.Name} {r.Version}, not {Roslyn}."));

        // netstandard2.0, so that the .NET Framework compiler in Visual Studio loads them too.
        Assert.Contains(references, r => r.Name == "netstandard" && r.Version == new Version(2, 0, 0, 0));
        Assert.DoesNotContain(references, r => r.Name is "System.Runtime" or "mscorlib");
    }

    [Fact]
    public void Analyzer_assembly_does_not_reference_Workspaces()
    {
        // The command-line compiler has no Workspaces: an analyzer that needs it does not load there.
        var references = ReadAssemblyReferences("McpSecurity.Analyzers.dll");

        Assert.DoesNotContain(references, r => r.Name.Contains("Workspaces", StringComparison.Ordinal));
    }

    private List<(string Name, Version Version)> ReadAssemblyReferences(string assembly)
    {
        using var package = ZipFile.OpenRead(fixture.PackagePath);
        var entry = package.GetEntry(AnalyzerFolder + assembly);
        Assert.NotNull(entry);

        using var image = new MemoryStream();
        using (var stream = entry!.Open())
        {
            stream.CopyTo(image);
        }

        image.Position = 0;
        using var pe = new PEReader(image);
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences
            .Select(handle => metadata.GetAssemblyReference(handle))
            .Select(reference => (metadata.GetString(reference.Name), reference.Version))
            .ToList();
    }

    private static XElement ReadNuspecMetadata(ZipArchive package)
    {
        var nuspec = package.Entries.Single(e => !e.FullName.Contains('/', StringComparison.Ordinal) && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        using var stream = nuspec.Open();
        var document = XDocument.Load(stream);
        return document.Root!.Element(document.Root.Name.Namespace + "metadata")!;
    }
}
