namespace McpSecurity.Package.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "Packed McpSecurity.Analyzers";
}

/// <summary>
/// Packs McpSecurity.Analyzers once per test run and shares what the tests build with it; packs and
/// installs the McpSecurity.Server tool when a test first asks for it.
/// <list type="bullet">
/// <item>The sources are copied to a temporary folder first (as a clean clone would have them), so
/// packing, consuming and building the sample never write into the repository or race with the
/// other test projects' builds.</item>
/// <item>The package gets a version of its own (<c>0.0.0-e2e.&lt;ticks&gt;</c>): NuGet caches a package
/// by id and version in the global packages folder, and a repacked version would silently not be
/// used. That version is removed from the global packages folder afterwards.</item>
/// <item>Consumers live under the temporary folder too, next to their own nuget.config (the local feed
/// on top of the user's sources) and empty Directory.Build.* files, so they inherit nothing from the repository.</item>
/// </list>
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
    public const string PackageId = "McpSecurity.Analyzers";

    /// <summary>The command line and MCP server, packed as a .NET tool (src/McpServer).</summary>
    public const string ToolPackageId = "McpSecurity.Server";

    public const string ToolCommandName = "mcpsec";

    /// <summary>
    /// The project's home the package is packed with (<c>McpSecurityHomeUrl</c>), a reserved name that
    /// resolves nowhere: the tests check that the package metadata and every help link come from it.
    /// </summary>
    public const string HomeUrl = "https://mcpsecurity.example/home";

    /// <summary>Where the help links point when the package is packed with <see cref="HomeUrl"/>.</summary>
    public const string RulePagesUrl = HomeUrl + "/blob/main/docs/rules/";

    /// <summary>Passed to every build of the sources, so the analyzer projects stay up to date between them.</summary>
    private static readonly string[] SourceBuildOptions = [$"-p:McpSecurityHomeUrl={HomeUrl}", .. DotnetCli.IsolatedBuildOptions];

    private static readonly string[] SkippedDirectories = ["bin", "obj", "TestResults", "artifacts", ".vs", ".git"];

    private readonly Lazy<Task<VulnerableConsumer>> vulnerableConsumer;
    private readonly Lazy<Task<FormattedConsumer>> formattedConsumer;
    private readonly Lazy<Task<DotnetRun>> sampleBuild;
    private readonly Lazy<Task<InstalledTool>> installedTool;

    public PackageFixture()
    {
        RepositoryRoot = FindRepositoryRoot();
        WorkRoot = Path.Combine(Path.GetTempPath(), "mcpsec-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Version = $"0.0.0-e2e.{DateTime.UtcNow.Ticks}";
        vulnerableConsumer = new(BuildVulnerableConsumerAsync);
        formattedConsumer = new(FormatVulnerableConsumerAsync);
        sampleBuild = new(BuildSampleAsync);
        installedTool = new(PackAndInstallToolAsync);
    }

    public string RepositoryRoot { get; }

    /// <summary>The temporary folder that holds everything a test run writes.</summary>
    public string WorkRoot { get; }

    /// <summary>The copy of the repository's sources the package and the sample are built from.</summary>
    public string SourceCopy => Path.Combine(WorkRoot, "repo");

    public string Feed => Path.Combine(WorkRoot, "feed");

    public string ConsumersRoot => Path.Combine(WorkRoot, "consumers");

    public string Version { get; }

    public string PackagePath => Path.Combine(Feed, $"{PackageId}.{Version}.nupkg");

    public DotnetRun? PackRun { get; private set; }

    /// <summary>
    /// The consumer with MCPSEC201 and MCPSEC202 violations, built once with an error log; the
    /// build result and the SARIF file are shared by the tests that read them.
    /// </summary>
    public Task<VulnerableConsumer> VulnerableConsumer => vulnerableConsumer.Value;

    /// <summary>The same consumer after <c>dotnet format analyzers</c>, built again.</summary>
    public Task<FormattedConsumer> FormattedConsumer => formattedConsumer.Value;

    /// <summary><c>dotnet build samples/VulnerableMcpServer</c>, on the copy of the sources.</summary>
    public Task<DotnetRun> SampleBuild => sampleBuild.Value;

    /// <summary>
    /// <c>dotnet pack src/McpServer</c> into a feed of its own, then <c>dotnet tool install --tool-path</c>
    /// from that feed, as a user installs it (only the install comes from a feed, nothing from the repository).
    /// </summary>
    public Task<InstalledTool> InstalledTool => installedTool.Value;

    public async Task InitializeAsync()
    {
        CopySources();
        Directory.CreateDirectory(Feed);
        PackRun = await DotnetCli.RunAsync(
            SourceCopy,
            [
                "pack", Path.Combine(SourceCopy, "src", "McpSecurity.Package"),
                "-c", "Release", "-o", Feed, $"-p:Version={Version}",
                .. SourceBuildOptions,
            ]);
        if (!PackRun.Succeeded || !File.Exists(PackagePath))
        {
            throw new InvalidOperationException($"Packing {PackageId} {Version} failed:{Environment.NewLine}{PackRun}");
        }

        WriteConsumersRoot();
    }

    public Task DisposeAsync()
    {
        // MCPSEC_E2E_KEEP=1 keeps the temporary folder to look at what the tests built.
        if (Environment.GetEnvironmentVariable("MCPSEC_E2E_KEEP") != "1")
        {
            TryDelete(WorkRoot);
        }


        foreach (var id in new[] { PackageId, ToolPackageId })
        {
            var cached = Path.Combine(GlobalPackagesFolder(), id.ToLowerInvariant());
            TryDelete(Path.Combine(cached, Version.ToLowerInvariant()));
            TryDelete(cached, onlyIfEmpty: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>A scratch project that references the packed package, with the given files.</summary>
    public ConsumerProject CreateConsumer(string name, IReadOnlyDictionary<string, string> files)
        => ConsumerProject.Create(Path.Combine(ConsumersRoot, name), PackageId, Version, files);

    /// <summary>A scratch project with its own project settings; see <see cref="ConsumerProject.Create(string, string, string, IReadOnlyDictionary{string, string}, string, string)"/>.</summary>
    public ConsumerProject CreateConsumer(string name, IReadOnlyDictionary<string, string> files, string properties, string items = "")
        => ConsumerProject.Create(Path.Combine(ConsumersRoot, name), PackageId, Version, files, properties, items);

    private async Task<VulnerableConsumer> BuildVulnerableConsumerAsync()
    {
        var consumer = CreateConsumer("Vulnerable", new Dictionary<string, string>
        {
            ["MailClient.cs"] = ConsumerSources.BareAndSwallowingHandlers,
        });
        var sarif = Path.Combine(consumer.Directory, "build.sarif");
        // As the README says: ",version=2.1" (MSBuild-escaped) for the SARIF version code scanning reads.
        var build = await consumer.BuildAsync($"-p:ErrorLog={sarif}%2Cversion%3D2.1");
        return new VulnerableConsumer(consumer, build, sarif);
    }

    private async Task<FormattedConsumer> FormatVulnerableConsumerAsync()
    {
        // Reuses the vulnerable consumer, restored and built already: its results are kept above.
        var vulnerable = await VulnerableConsumer;
        var consumer = vulnerable.Project;
        var before = consumer.ReadFile("MailClient.cs");
        var format = await consumer.FormatAnalyzersAsync("MCPSEC201", "MCPSEC202");
        var after = consumer.ReadFile("MailClient.cs");
        var build = await consumer.BuildAsync();
        return new FormattedConsumer(before, format, after, build);
    }

    private Task<DotnetRun> BuildSampleAsync()
        => DotnetCli.RunAsync(
            SourceCopy,
            [
                // Same configuration and version as the pack: the analyzer projects are up to date.
                "build", Path.Combine(SourceCopy, "samples", "VulnerableMcpServer", "VulnerableMcpServer.csproj"),
                "-c", "Release", $"-p:Version={Version}",
                .. SourceBuildOptions,
            ]);

    private async Task<InstalledTool> PackAndInstallToolAsync()
    {
        var toolFeed = Path.Combine(WorkRoot, "tool-feed");
        var toolPath = Path.Combine(WorkRoot, "tools");
        var pack = await DotnetCli.RunAsync(
            SourceCopy,
            [
                // Same configuration and version as the analyzer pack: those projects are up to date.
                "pack", Path.Combine(SourceCopy, "src", "McpServer", "McpServer.csproj"),
                "-c", "Release", "-o", toolFeed, $"-p:Version={Version}",
                .. SourceBuildOptions,
            ]);
        var packagePath = Path.Combine(toolFeed, $"{ToolPackageId}.{Version}.nupkg");
        if (!pack.Succeeded || !File.Exists(packagePath))
        {
            throw new InvalidOperationException($"Packing {ToolPackageId} {Version} failed:{Environment.NewLine}{pack}");
        }

        var install = await DotnetCli.RunAsync(
            WorkRoot,
            ["tool", "install", ToolPackageId, "--version", Version, "--tool-path", toolPath, "--add-source", toolFeed]);
        if (!install.Succeeded)
        {
            throw new InvalidOperationException($"Installing {ToolPackageId} {Version} failed:{Environment.NewLine}{install}");
        }

        return new InstalledTool(packagePath, Path.Combine(toolPath, ToolCommandName));
    }

    private void CopySources()
    {
        Directory.CreateDirectory(SourceCopy);
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot))
        {
            File.Copy(file, Path.Combine(SourceCopy, Path.GetFileName(file)));
        }

        // docs: the rule pages travel in both packages.
        foreach (var folder in new[] { "src", "samples", "docs" })
        {
            CopyDirectory(Path.Combine(RepositoryRoot, folder), Path.Combine(SourceCopy, folder));
        }
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            var name = Path.GetFileName(directory);
            if (!SkippedDirectories.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                CopyDirectory(directory, Path.Combine(target, name));
            }
        }
    }

    private void WriteConsumersRoot()
    {
        Directory.CreateDirectory(ConsumersRoot);

        // Stop MSBuild's and NuGet's walk up the folders: a consumer sees only what is here.
        File.WriteAllText(Path.Combine(ConsumersRoot, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(ConsumersRoot, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(ConsumersRoot, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(ConsumersRoot, ".editorconfig"), "root = true\n");
        // Only the local feed is added: every other package comes from the sources the user's own
        // configuration already has, as the README tells a user to set up a consumer.
        File.WriteAllText(Path.Combine(ConsumersRoot, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="mcpsec-local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "McpSecurity.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"McpSecurity.sln not found above {AppContext.BaseDirectory}.");
    }

    private static string GlobalPackagesFolder()
        => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static void TryDelete(string directory, bool onlyIfEmpty = false)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                // Not recursive: fails, harmlessly, when another run's version is still there.
                Directory.Delete(directory, recursive: !onlyIfEmpty);
            }
        }
        catch (IOException)
        {
            // A leftover temporary folder is not worth failing the run for.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

public sealed record VulnerableConsumer(ConsumerProject Project, DotnetRun Build, string SarifPath);

/// <summary>The packed tool package and the installed command.</summary>
public sealed record InstalledTool(string PackagePath, string CommandPath);

public sealed record FormattedConsumer(string Before, DotnetRun Format, string After, DotnetRun Build);
