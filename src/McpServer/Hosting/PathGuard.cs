using System;
using System.IO;

namespace McpSecurity.Server.Hosting;

/// <summary>
/// Resolves a client-supplied path inside the workspace root. Absolute paths and '..' escapes are
/// refused before touching the disk, and symlinks are resolved so a link inside the root cannot lead
/// out of it (path traversal, CWE-22).
/// </summary>
public static class PathGuard
{
    public static bool TryResolve(string root, string relative, out string resolved)
    {
        resolved = string.Empty;
        if (string.IsNullOrWhiteSpace(relative) || Path.IsPathRooted(relative) || relative.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        var realRoot = RealPath(Path.GetFullPath(root));
        var candidate = Path.GetFullPath(Path.Combine(realRoot, relative));
        if (!IsWithin(candidate, realRoot))
        {
            return false;
        }

        var real = RealPath(candidate);
        if (!IsWithin(real, realRoot))
        {
            return false;
        }

        resolved = real;
        return true;
    }

    public static bool IsWithin(string path, string root)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(root);
        return string.Equals(path, trimmed, StringComparison.Ordinal)
            || path.StartsWith(trimmed + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>The path with every symlink along it replaced by its final target.</summary>
    public static string RealPath(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? "/";
        var current = root;
        var parts = fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (!info.Exists)
            {
                // The rest does not exist yet: nothing further to resolve.
                return Path.Combine([next, .. parts[(i + 1)..]]);
            }

            var target = info.LinkTarget is null ? null : info.ResolveLinkTarget(returnFinalTarget: true);
            current = target is null ? next : Path.GetFullPath(target.FullName);
        }

        return current;
    }
}
