using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.MSBuild;
using Microsoft.CodeAnalysis.Text;

namespace McpSecurity.Server.Engine;

/// <summary>
/// The Roslyn projects behind a list of paths, for the command line (a user's own repository):
/// projects and solutions through MSBuildWorkspace on the installed SDK, which evaluates them and runs
/// their design-time targets (the MCP tools read projects with <see cref="WorkspaceSources"/> instead); loose .cs files and folders as one project compiled against the framework and this
/// server's own references. <see cref="Roots"/> are the only places a fix may write to.
/// </summary>
public sealed class SourceSet : IDisposable
{
    private readonly List<Workspace> workspaces = [];

    private SourceSet(IReadOnlyList<string> roots) => Roots = roots;

    public List<Project> Projects { get; } = [];

    public IReadOnlyList<string> Roots { get; }

    /// <summary>Findings and diffs name files relative to this folder (the MCP tools use the workspace root, so no server path leaks).</summary>
    public string DisplayBase { get; set; } = Environment.CurrentDirectory;

    /// <summary>A path as the command line's messages name it: like its findings, relative to the current directory when below it.</summary>
    private static string Shown(string path) => CodeEngine.DisplayPath(path, Environment.CurrentDirectory);

    public static async Task<SourceSet> LoadAsync(IReadOnlyList<string> paths, Action<string>? progress, CancellationToken cancellationToken)
    {
        if (paths.Count == 0)
        {
            throw new InputException("No path given: name one or more .cs files, folders, .csproj or .sln files.");
        }

        var full = paths.Select(path => Path.GetFullPath(path)).ToList();
        foreach (var path in full)
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new InputException($"Path not found: {Shown(path)}");
            }
        }

        var roots = full.Select(path => Directory.Exists(path) || IsCSharpFile(path) ? path : Path.GetDirectoryName(path)!).ToList();
        var set = new SourceSet(roots);
        try
        {
            var looseFiles = new List<string>();
            foreach (var path in full)
            {
                if (Directory.Exists(path))
                {
                    // An empty folder (or a typo'd one) must not pass a gate with exit 0.
                    var found = EnumerateSources(path).ToList();
                    looseFiles.AddRange(found.Count > 0 ? found : throw new InputException($"No C# sources (.cs files) under {Shown(path)}."));
                }
                else if (IsCSharpFile(path))
                {
                    looseFiles.Add(path);
                }
                else if (path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase)
                    || path.EndsWith(".sln", StringComparison.OrdinalIgnoreCase)
                    || path.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase))
                {
                    progress?.Invoke($"Loading {Shown(path)}");
                    await set.LoadMsBuildAsync(path, progress, restoreFirst: false, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    throw new InputException($"Not a C# source, folder, project or solution: {Shown(path)}");
                }
            }

            if (looseFiles.Count > 0)
            {
                set.AddLooseFiles(looseFiles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
            }

            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    /// <summary>One in-memory document, for scan_code and fix_code.</summary>
    public static SourceSet FromText(string source, string fileName)
    {
        var set = new SourceSet([]);
        var workspace = new AdhocWorkspace();
        set.workspaces.Add(workspace);
        var project = CreateLooseProject(workspace);
        var document = project.AddDocument(fileName, SourceText.From(source), filePath: fileName);
        set.Projects.Add(document.Project);
        return set;
    }

    public void Dispose()
    {
        foreach (var workspace in workspaces)
        {
            workspace.Dispose();
        }
    }

    private static bool IsCSharpFile(string path) => path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase);

    internal static IEnumerable<string> EnumerateSources(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", options))
        {
            yield return file;
        }

        foreach (var sub in Directory.EnumerateDirectories(folder, "*", options))
        {
            // Build output and VCS folders hold generated or foreign code that nobody fixes by hand.
            var name = Path.GetFileName(sub);
            if (name is "bin" or "obj" or "node_modules" || name.StartsWith('.'))
            {
                continue;
            }

            foreach (var file in EnumerateSources(sub))
            {
                yield return file;
            }
        }
    }

    private static readonly Lazy<ImmutableArray<MetadataReference>> FrameworkReferences = new(() =>
        ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    private static Project CreateLooseProject(Workspace workspace)
    {
        var info = ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Create(),
            "LooseFiles",
            "LooseFiles",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: FrameworkReferences.Value);
        var solution = workspace.CurrentSolution.AddProject(info);
        return solution.GetProject(info.Id)!.AddDocument(ImplicitUsingsName, ImplicitUsings).Project;
    }

    private const string ImplicitUsingsName = "ImplicitUsings.g.cs";

    /// <summary>
    /// The global usings the .NET and ASP.NET Core SDKs generate for a project with ImplicitUsings on
    /// (the default of every new project): loose files of such a project use <c>Exception</c> or
    /// <c>List&lt;T&gt;</c> without a using, and without these the types would not bind and the rules
    /// could not see them. Marked generated, so it is never analyzed, reported or fixed.
    /// </summary>
    private static readonly SourceText ImplicitUsings = SourceText.From(
        "// <auto-generated/>\n"
        + string.Concat(new[]
        {
            "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Net.Http.Json",
            "System.Threading", "System.Threading.Tasks", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting",
            "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration",
            "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
        }.Select(name => $"global using global::{name};\n")));

    /// <summary>
    /// Projects whose files were already read (scan_path reads them itself, inside the workspace
    /// root, without MSBuild): each compiled as loose files with the given .editorconfig files.
    /// </summary>
    public static SourceSet FromFiles(IEnumerable<LooseProject> projects)
    {
        var set = new SourceSet([]);
        foreach (var project in projects)
        {
            set.AddLooseProject(project.Files, project.EditorConfigs);
        }

        return set;
    }

    private void AddLooseFiles(List<string> files)
        => AddLooseProject(files.Select(file => (file, File.ReadAllText(file))).ToList(), EditorConfigsFor(files));

    private void AddLooseProject(IReadOnlyList<(string Path, string Text)> files, IReadOnlyList<(string Path, SourceText Text)> editorConfigs)
    {
        var workspace = new AdhocWorkspace();
        workspaces.Add(workspace);
        var project = CreateLooseProject(workspace);
        foreach (var (path, text) in files)
        {
            project = project.AddDocument(path, SourceText.From(text), filePath: path).Project;
        }

        foreach (var (path, text) in editorConfigs)
        {
            project = project.AddAnalyzerConfigDocument(".editorconfig", text, filePath: path).Project;
        }

        Projects.Add(project);
    }

    /// <summary>
    /// The .editorconfig files that apply to loose files, as the compiler finds them for a project:
    /// every one from a file's folder up, until one says <c>root = true</c>. Without them a folder
    /// scan would ignore the severities and <c>mcpsec.*</c> options the build honours, and fixes
    /// would not indent as the repository does.
    /// </summary>
    internal static IReadOnlyList<(string Path, SourceText Text)> EditorConfigsFor(IEnumerable<string> files)
    {
        var found = new List<(string, SourceText)>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in files.Select(file => Path.GetDirectoryName(Path.GetFullPath(file))).Distinct(StringComparer.Ordinal))
        {
            for (var current = folder; current is not null && visited.Add(current); current = Path.GetDirectoryName(current))
            {
                var config = Path.Combine(current, ".editorconfig");
                if (!File.Exists(config))
                {
                    continue;
                }

                var text = SourceText.From(File.ReadAllText(config));
                found.Add((config, text));
                if (IsRoot(text))
                {
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>
    /// <c>root = true</c> before the first section. Roslyn parses the same way but keeps the answer
    /// internal (<c>AnalyzerConfig.IsRoot</c> is not public in 5.0).
    /// </summary>
    internal static bool IsRoot(SourceText editorConfig)
    {
        foreach (var line in editorConfig.Lines)
        {
            var trimmed = line.ToString().Trim();
            if (trimmed.StartsWith('['))
            {
                return false;
            }

            var equals = trimmed.IndexOf('=');
            if (equals > 0
                && trimmed[..equals].Trim().Equals("root", StringComparison.OrdinalIgnoreCase)
                && trimmed[(equals + 1)..].Trim().Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private async Task LoadMsBuildAsync(string path, Action<string>? progress, bool restoreFirst, CancellationToken cancellationToken)
    {
        if (restoreFirst)
        {
            await RestoreAsync(path, progress, cancellationToken).ConfigureAwait(false);
        }

        var before = Projects.Count;

        // MSBuildWorkspace evaluates the project in a BuildHost child process that inherits this
        // environment, and the project's targets run there: they must not see the server's key.
        // Only the command line loads projects this way (scan_path reads them as XML).
        Environment.SetEnvironmentVariable(Hosting.SecretKey.VariableName, null);
        var workspace = MSBuildWorkspace.Create();
        workspaces.Add(workspace);
        try
        {
            if (path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            {
                Projects.Add(await workspace.OpenProjectAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false));
            }
            else
            {
                var solution = await workspace.OpenSolutionAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
                Projects.AddRange(solution.Projects.Where(project => project.Language == LanguageNames.CSharp));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or ArgumentException)
        {
            throw new InputException($"Could not load {Shown(path)}.", ex);
        }

        var failures = workspace.Diagnostics.Where(d => d.Kind == WorkspaceDiagnosticKind.Failure).ToList();
        var loaded = Projects.Skip(before).ToList();
        if (loaded.Count == 0 || (failures.Count > 0 && loaded.All(project => !project.Documents.Any())))
        {
            throw new InputException($"Could not load {Shown(path)}: {string.Join("; ", failures.Select(f => f.Message))}");
        }

        // An unrestored project loads without its package references: the SDK's types do not bind and
        // the tool-input rules find less, silently (6 findings instead of 8 on the same code). Restore
        // it, as a build would, and load it again.
        if (!restoreFirst && loaded.Any(project => !IsRestored(project)))
        {
            Projects.RemoveRange(before, loaded.Count);
            workspaces.Remove(workspace);
            workspace.Dispose();
            await LoadMsBuildAsync(path, progress, restoreFirst: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        // A solution where some projects failed still scans the rest; say which did not load.
        foreach (var failure in failures)
        {
            progress?.Invoke($"warning: {failure.Message}");
        }
    }

    /// <summary>
    /// NuGet's <c>project.assets.json</c> is in the intermediate folder: <c>obj/</c>, or above the
    /// compiler's output (<c>obj/Debug/net10.0/App.dll</c>) when the project moves it.
    /// </summary>
    private static bool IsRestored(Project project)
    {
        var projectFolder = Path.GetDirectoryName(project.FilePath);
        if (projectFolder is null || File.Exists(Path.Combine(projectFolder, "obj", "project.assets.json")))
        {
            return true;
        }

        for (var folder = Path.GetDirectoryName(project.CompilationOutputInfo.AssemblyPath); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "project.assets.json")))
            {
                return true;
            }

            if (string.Equals(folder, projectFolder, StringComparison.Ordinal))
            {
                break;
            }
        }

        return false;
    }

    private static async Task RestoreAsync(string path, Action<string>? progress, CancellationToken cancellationToken)
    {
        progress?.Invoke($"Restoring {Shown(path)} (it had not been restored)");
        var startInfo = new ProcessStartInfo(Hosting.ScanWorkerPool.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "restore", path, "--nologo", "-nodeReuse:false" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        // SECRET_KEY was removed from this process's environment above; the child's copy of it has none.
        startInfo.Environment.Remove(Hosting.SecretKey.VariableName);
        using var process = Process.Start(startInfo) ?? throw new InputException($"{path} has not been restored, and 'dotnet restore' could not be started. Run 'dotnet restore {path}', then scan again.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            var said = ((await output.ConfigureAwait(false)) + (await errors.ConfigureAwait(false))).Trim();
            throw new InputException(
                $"{path} has not been restored and 'dotnet restore' failed (exit {process.ExitCode}); without its packages the rules would find less. "
                + $"Run 'dotnet restore {path}', fix what it reports, then scan again.\n{said[Math.Max(0, said.Length - 2000)..]}");
        }
    }
}

/// <summary>Source files already read, and the .editorconfig files that apply to them, compiled as one project.</summary>
public sealed record LooseProject(IReadOnlyList<(string Path, string Text)> Files, IReadOnlyList<(string Path, SourceText Text)> EditorConfigs);
