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
    private const int MaxLinkHops = 40;

    public static bool TryResolve(string root, string relative, out string resolved)
    {
        resolved = string.Empty;
        if (string.IsNullOrWhiteSpace(relative) || Path.IsPathRooted(relative) || relative.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
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
        catch (IOException)
        {
            // A link loop: nothing it names can be shown to stay inside.
            return false;
        }
    }

    public static bool IsWithin(string path, string root)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(root);
        return string.Equals(path, trimmed, StringComparison.Ordinal)
            || path.StartsWith(trimmed + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>
    /// The path with every symlink along it replaced by its target, dangling links included: a link to a
    /// file that does not exist yet still names where a program would write (a write through
    /// 'evil -> /etc/cron.d/x' must count as outside).
    /// </summary>
    public static string RealPath(string fullPath) => RealPath(fullPath, hops: 0);

    private static string RealPath(string fullPath, int hops)
    {
        var root = Path.GetPathRoot(fullPath) ?? "/";
        var current = root;
        var parts = fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is { } link)
            {
                // The same bound as the kernel's ELOOP: a loop of links must not spin forever.
                if (hops >= MaxLinkHops)
                {
                    throw new IOException("Too many levels of symbolic links.");
                }

                var target = Path.GetFullPath(link, current);
                return RealPath(Path.Combine([target, .. parts[(i + 1)..]]), hops + 1);
            }

            if (!info.Exists)
            {
                // The rest does not exist yet: nothing further to resolve.
                return Path.Combine([next, .. parts[(i + 1)..]]);
            }

            current = next;
        }

        return current;
    }
}
