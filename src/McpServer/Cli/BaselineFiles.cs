using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using McpSecurity.Analyzers.Baseline;
using McpSecurity.Server.Engine;

namespace McpSecurity.Server.Cli;

/// <summary>Where the command line finds, reads and compares the adoption baseline (docs/baseline.md).</summary>
public static class BaselineFiles
{
    /// <summary>
    /// The nearest <c>mcpsec.baseline</c> in the first path's folder or a folder above it, the file the
    /// package's build uses for a project there; null when there is none.
    /// </summary>
    public static string? FindFor(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            return null;
        }

        var full = Path.GetFullPath(paths[0]);
        for (var directory = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full).Directory; directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, BaselineFile.DefaultFileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Where <c>baseline</c> writes by default: <c>mcpsec.baseline</c> in the first path's folder (a project's or solution's own folder).</summary>
    public static string DefaultOutputFor(IReadOnlyList<string> paths)
    {
        var full = Path.GetFullPath(paths.Count > 0 ? paths[0] : ".");
        return Path.Combine(Directory.Exists(full) ? full : Path.GetDirectoryName(full)!, BaselineFile.DefaultFileName);
    }

    /// <summary>Reads <paramref name="path"/>; a missing or malformed file is bad input (exit 2), never an empty baseline.</summary>
    public static BaselineFile Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"Cannot read the baseline {path}.", ex);
        }

        return BaselineFile.TryParse(text, out var baseline, out var error)
            ? baseline!
            : throw new InputException($"The baseline {path} does not parse: {error}. Fix that line, or write it again with 'mcpsec baseline'.");
    }

    /// <summary>The folder a baseline's file paths are relative to.</summary>
    public static string BaseOf(string baselinePath) => Path.GetDirectoryName(Path.GetFullPath(baselinePath))!;

    /// <summary>The files of <paramref name="sources"/> as a baseline rooted at <paramref name="baseDirectory"/> names them.</summary>
    public static HashSet<string> ScannedFiles(SourceSet sources, string baseDirectory)
        => sources.Projects
            .SelectMany(project => project.Documents)
            .Where(document => document.FilePath is not null)
            .Select(document => FindingFingerprint.RelativePath(document.FilePath!, baseDirectory))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The findings the baseline does not record, and the entries of the scanned files that no finding
    /// matches any more. An entry of a file outside the scan is not judged: scanning one project of a
    /// repository must not call the others' entries stale.
    /// </summary>
    public static (IReadOnlyList<Finding> New, IReadOnlyList<BaselineEntry> Stale) Compare(
        BaselineFile baseline, IReadOnlyList<Finding> findings, IReadOnlySet<string> scannedFiles)
    {
        var found = findings.Where(f => f.Fingerprint is not null).Select(f => f.Fingerprint!).ToHashSet();
        var accepted = baseline.Entries.ToHashSet();
        return (
            findings.Where(f => f.Fingerprint is null || !accepted.Contains(f.Fingerprint)).ToList(),
            baseline.Entries.Where(entry => scannedFiles.Contains(entry.File) && !found.Contains(entry)).ToList());
    }

    /// <summary>How a stale entry is shown on stderr: where it was, what it was.</summary>
    public static string Describe(BaselineEntry entry)
        => $"{entry.File}: {entry.RuleId} in {entry.Symbol} (#{entry.Occurrence}): {entry.Snippet}";
}
