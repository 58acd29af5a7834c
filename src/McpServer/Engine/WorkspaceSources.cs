using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Xml;
using System.Xml.Linq;
using McpSecurity.Server.Hosting;
using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Win32.SafeHandles;

namespace McpSecurity.Server.Engine;

/// <summary>Size limits for what one scan_path call may read.</summary>
public sealed record WorkspaceLimits(int MaxFiles, long MaxFileBytes, long MaxTotalBytes)
{
    public static WorkspaceLimits Default { get; } = new(5000, 2 * 1024 * 1024, 64 * 1024 * 1024);
}

/// <summary>
/// What scan_path compiles, read without MSBuild. Loading a project with MSBuildWorkspace evaluates it
/// and runs its targets: an <c>Exec</c> in a workspace's .csproj ran with the server's environment and
/// leaked SECRET_KEY, and the design-time build wrote bin/ and obj/ into a workspace the tool calls
/// read-only. Here a .csproj is only XML (SDK-style default **/*.cs minus bin/obj, plus literal
/// <c>Compile Include/Remove</c> items), a .sln or .slnx only a list of project paths, and every file
/// is opened first and then checked, by the handle's own path, to be inside the workspace root, so a
/// symlink swapped in between the check and the open still cannot lead out. Nothing is written.
/// </summary>
public sealed class WorkspaceSources
{
    private readonly string realRoot;
    private readonly WorkspaceLimits limits;
    private int filesRead;
    private long bytesRead;

    private WorkspaceSources(string root, WorkspaceLimits limits)
    {
        realRoot = PathGuard.RealPath(Path.GetFullPath(root));
        this.limits = limits;
    }

    /// <summary>
    /// The sources behind <paramref name="path"/> (already resolved inside <paramref name="root"/>):
    /// a .cs file, a folder, a .csproj, a .sln or a .slnx. Throws <see cref="InputException"/> for
    /// anything else, for a project or solution that names nothing to scan, and when a limit is passed.
    /// </summary>
    public static SourceSet Load(string root, string path, WorkspaceLimits limits, CancellationToken cancellationToken)
    {
        var reader = new WorkspaceSources(root, limits);
        var projects = reader.ProjectsFor(Path.GetFullPath(path), cancellationToken);
        var set = SourceSet.FromFiles(projects);
        set.DisplayBase = reader.realRoot;
        return set;
    }

    private List<LooseProject> ProjectsFor(string path, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            return [ReadProject(SourceSet.EnumerateSources(path), cancellationToken)];
        }

        if (HasExtension(path, ".cs"))
        {
            return [ReadProject([path], cancellationToken)];
        }

        if (HasExtension(path, ".csproj"))
        {
            return [ReadProject(CompileItems(path), cancellationToken)];
        }

        if (HasExtension(path, ".sln") || HasExtension(path, ".slnx"))
        {
            var projects = SolutionProjects(path).Select(project => ReadProject(CompileItems(project), cancellationToken)).ToList();
            return projects.Count > 0
                ? projects
                : throw new InputException("The solution names no C# project inside the workspace root.");
        }

        throw new InputException("Not a C# source, folder, project or solution.");
    }

    private static bool HasExtension(string path, string extension) => path.EndsWith(extension, StringComparison.OrdinalIgnoreCase);

    private LooseProject ReadProject(IEnumerable<string> files, CancellationToken cancellationToken)
    {
        var read = new List<(string Path, string Text)>();
        foreach (var file in files.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryReadInside(file, out var realPath, out var text))
            {
                read.Add((realPath, text));
            }
        }

        return new LooseProject(read, EditorConfigsFor(read.Select(file => file.Path)));
    }

    /// <summary>
    /// The source items of a project file, from its XML alone: no property is evaluated, no import
    /// followed, no target run. Items that need evaluation (<c>$(…)</c>, <c>@(…)</c>) are skipped.
    /// </summary>
    private List<string> CompileItems(string projectPath)
    {
        if (!TryReadInside(projectPath, out var realProject, out var text))
        {
            throw new InputException("The project file cannot be read inside the workspace root.");
        }

        var project = ParseXml(text);
        var folder = Path.GetDirectoryName(realProject)!;
        var root = project.Root!;
        var sdkStyle = root.Attribute("Sdk") is not null
            || root.Elements().Any(element => element.Name.LocalName == "Sdk" || (element.Name.LocalName == "Import" && element.Attribute("Sdk") is not null));
        var defaultItemsOff = root.Descendants()
            .Where(element => element.Name.LocalName is "EnableDefaultCompileItems" or "EnableDefaultItems")
            .Any(element => string.Equals(element.Value.Trim(), "false", StringComparison.OrdinalIgnoreCase));

        var candidates = SourceSet.EnumerateSources(folder).ToList();
        var items = new HashSet<string>(sdkStyle && !defaultItemsOff ? candidates : [], StringComparer.Ordinal);
        foreach (var compile in root.Descendants().Where(element => element.Name.LocalName == "Compile"))
        {
            items.UnionWith(Matches(compile.Attribute("Include")?.Value, folder, candidates));
            items.ExceptWith(Matches(compile.Attribute("Remove")?.Value, folder, candidates));
        }

        return [.. items];
    }

    /// <summary>Paths an item attribute names: literal paths, or globs matched against the project's own .cs files.</summary>
    private List<string> Matches(string? patterns, string folder, IReadOnlyList<string> candidates)
    {
        var found = new List<string>();
        foreach (var pattern in (patterns ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (pattern.Contains("$(", StringComparison.Ordinal) || pattern.Contains("@(", StringComparison.Ordinal) || pattern.Contains("%(", StringComparison.Ordinal))
            {
                continue;
            }

            var relative = pattern.Replace('\\', '/');
            if (relative.Contains('*', StringComparison.Ordinal) || relative.Contains('?', StringComparison.Ordinal))
            {
                var matcher = new Matcher(StringComparison.Ordinal);
                matcher.AddInclude(relative);
                found.AddRange(matcher.Match(folder, candidates).Files.Select(match => Path.GetFullPath(Path.Combine(folder, match.Path))));
            }
            else if (!Path.IsPathRooted(relative))
            {
                var full = Path.GetFullPath(Path.Combine(folder, relative));
                if (HasExtension(full, ".cs") && PathGuard.IsWithin(full, realRoot))
                {
                    found.Add(full);
                }
            }
        }

        return found;
    }

    /// <summary>The .csproj files a .sln or .slnx lists, kept only when they resolve inside the workspace root.</summary>
    private List<string> SolutionProjects(string solutionPath)
    {
        if (!TryReadInside(solutionPath, out var realSolution, out var text))
        {
            throw new InputException("The solution file cannot be read inside the workspace root.");
        }

        var folder = Path.GetDirectoryName(realSolution)!;
        IEnumerable<string> listed = HasExtension(realSolution, ".slnx")
            ? ParseXml(text).Descendants().Where(element => element.Name.LocalName == "Project").Select(element => element.Attribute("Path")?.Value ?? string.Empty)
            : text.Split('\n')
                .Where(line => line.TrimStart().StartsWith("Project(", StringComparison.Ordinal))
                .Select(line => line.Split(',') is { Length: >= 2 } parts ? parts[1].Trim().Trim('"') : string.Empty);

        return listed
            .Where(path => HasExtension(path, ".csproj") && !Path.IsPathRooted(path.Replace('\\', '/')))
            .Select(path => Path.GetFullPath(Path.Combine(folder, path.Replace('\\', '/'))))
            .Where(path => PathGuard.IsWithin(path, realRoot) && File.Exists(path))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>No DTD, no external entities: a project file is data here, never instructions.</summary>
    private static XDocument ParseXml(string text)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 16 * 1024 * 1024 };
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            return XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new InputException("The project or solution file is not well-formed XML.", ex);
        }
    }

    /// <summary>Each .editorconfig from a file's folder up to the workspace root (never above it), until one says root = true.</summary>
    private List<(string Path, SourceText Text)> EditorConfigsFor(IEnumerable<string> files)
    {
        var found = new List<(string, SourceText)>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in files.Select(file => Path.GetDirectoryName(file)!).Distinct(StringComparer.Ordinal))
        {
            for (var current = folder; current is not null && PathGuard.IsWithin(current, realRoot) && visited.Add(current); current = Path.GetDirectoryName(current))
            {
                var config = Path.Combine(current, ".editorconfig");
                if (!File.Exists(config) || !TryReadInside(config, out var realConfig, out var text))
                {
                    continue;
                }

                var source = SourceText.From(text);
                found.Add((realConfig, source));
                if (SourceSet.IsRoot(source))
                {
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Opens <paramref name="path"/>, then asks the open handle where it really is: a path checked
    /// before opening can be swapped for a symlink before the open (a race), the open file cannot.
    /// False when the file leads outside the workspace root.
    /// </summary>
    private bool TryReadInside(string path, out string realPath, out string text)
    {
        realPath = string.Empty;
        text = string.Empty;
        SafeFileHandle? handle;
        try
        {
            // Only regular files: a FIFO would block the open itself (see OpenSeekableForRead).
            handle = OperatingSystem.IsLinux()
                ? LinuxProcess.OpenSeekableForRead(path)
                : File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unreadable, gone since it was listed, or a folder named like a file: nothing to scan.
            return false;
        }

        if (handle is null)
        {
            return false;
        }

        using var owned = handle;
        var opened = OpenedPath(handle, path);
        if (!PathGuard.IsWithin(opened, realRoot) || Directory.Exists(opened))
        {
            return false;
        }

        var length = RandomAccess.GetLength(handle);
        if (length > limits.MaxFileBytes)
        {
            throw new LimitExceededException("file size limit (bytes)", limits.MaxFileBytes, length, DisplayPath(opened));
        }

        if (++filesRead > limits.MaxFiles)
        {
            throw new LimitExceededException("file count limit", limits.MaxFiles, filesRead, DisplayPath(opened));
        }

        bytesRead += length;
        if (bytesRead > limits.MaxTotalBytes)
        {
            throw new LimitExceededException("total size limit (bytes)", limits.MaxTotalBytes, bytesRead, DisplayPath(opened));
        }

        var buffer = new byte[length];
        var total = 0;
        while (total < buffer.Length)
        {
            var count = RandomAccess.Read(handle, buffer.AsSpan(total), total);
            if (count == 0)
            {
                break;
            }

            total += count;
        }

        using var reader = new StreamReader(new MemoryStream(buffer, 0, total), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        text = reader.ReadToEnd();
        realPath = opened;
        return true;
    }

    private string DisplayPath(string path) => Path.GetRelativePath(realRoot, path).Replace('\\', '/');

    /// <summary>The path of an open file as the kernel knows it (Linux: /proc/self/fd); elsewhere the path re-resolved after the open.</summary>
    private static string OpenedPath(SafeFileHandle handle, string path)
    {
        if (OperatingSystem.IsLinux()
            && new FileInfo($"/proc/self/fd/{handle.DangerousGetHandle()}").LinkTarget is { } target)
        {
            return target;
        }

        return PathGuard.RealPath(Path.GetFullPath(path));
    }
}
