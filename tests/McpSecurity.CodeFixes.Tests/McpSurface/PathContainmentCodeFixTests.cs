using McpSecurity.CodeFixes.McpSurface;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.CodeFixVerifier<
    McpSecurity.Analyzers.McpSurface.ToolFilePathAnalyzer,
    McpSecurity.CodeFixes.McpSurface.PathContainmentCodeFix>;

namespace McpSecurity.CodeFixes.Tests.McpSurface;

/// <summary>MCPSEC605's fix: one ResolveUnderRoot helper per type, called where the path is built from a root.</summary>
public class PathContainmentCodeFixTests
{
    private const string Key = PathContainmentCodeFix.EquivalenceKey;

    [Fact]
    public Task Fix_all_adds_the_helper_once_and_rewrites_every_combined_path() => Verify.VerifyAsync("""
        using System.IO;
        using ModelContextProtocol.Server;

        public sealed class FileTools
        {
            private readonly string root = "/srv/data";

            [McpServerTool]
            public string Read(string path) => File.ReadAllText({|MCPSEC605:Path.Combine(root, path)|});

            [McpServerTool]
            public void Write(string name, string text)
            {
                var target = Path.GetFullPath(Path.Combine(root, name));
                File.WriteAllText({|MCPSEC605:target|}, text);
            }

            [McpServerTool]
            public void Delete(string folder) => Directory.Delete({|MCPSEC605:Path.Join(root, folder)|}, recursive: true);
        }
        """, """
        using System.IO;
        using ModelContextProtocol.Server;

        public sealed class FileTools
        {
            private readonly string root = "/srv/data";

            [McpServerTool]
            public string Read(string path) => File.ReadAllText(ResolveUnderRoot(root, path));

            [McpServerTool]
            public void Write(string name, string text)
            {
                var target = ResolveUnderRoot(root, name);
                File.WriteAllText(target, text);
            }

            [McpServerTool]
            public void Delete(string folder) => Directory.Delete(ResolveUnderRoot(root, folder), recursive: true);

            /// <summary>The full path of <paramref name="relativePath"/> under <paramref name="root"/>; throws when it points outside the root (an absolute path, '..').</summary>
            private static string ResolveUnderRoot(string root, string relativePath)
            {
                var fullRoot = Path.GetFullPath(root);
                if (!fullRoot.EndsWith(Path.DirectorySeparatorChar.ToString(), System.StringComparison.Ordinal))
                {
                    fullRoot += Path.DirectorySeparatorChar;
                }

                var fullPath = Path.GetFullPath(Path.Combine(fullRoot, relativePath));
                if (!fullPath.StartsWith(fullRoot, System.StringComparison.Ordinal))
                {
                    throw new System.ArgumentException("The path is outside the allowed folder.", nameof(relativePath));
                }

                return fullPath;
            }
        }
        """, Key, McpServerStubs.Source);

    [Fact]
    public async Task Offers_no_fix_without_a_root_in_sight()
    {
        const string Source = """
            using System.IO;
            using ModelContextProtocol.Server;

            public static class FileTools
            {
                [McpServerTool]
                public static string Read(string path) => File.ReadAllText({|MCPSEC605:path|});

                [McpServerTool]
                public static string ReadCombined(string path)
                {
                    var full = Path.Combine("/srv/data", path);
                    full = full.Trim();
                    return File.ReadAllText({|MCPSEC605:full|});
                }
            }
            """;
        var test = Verify.CreateTest(Source, Source, Key, McpServerStubs.Source);
        test.NumberOfFixAllIterations = 0;
        test.NumberOfIncrementalIterations = 0;
        await test.RunAsync();
    }

    [Fact]
    public Task Reuses_the_helper_a_previous_fix_added_in_another_part_of_a_partial_class() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using ModelContextProtocol.Server;

        public partial class FileTools
        {
            [McpServerTool]
            public static string Read(string path) => File.ReadAllText({|MCPSEC605:Path.Combine("/srv/data", path)|});
        }

        public partial class FileTools
        {
            private static string ResolveUnderRoot(string root, string relativePath)
            {
                var fullRoot = Path.GetFullPath(root) + Path.DirectorySeparatorChar;
                var fullPath = Path.GetFullPath(Path.Combine(fullRoot, relativePath));
                return fullPath.StartsWith(fullRoot, StringComparison.Ordinal) ? fullPath : throw new ArgumentException("outside");
            }
        }
        """, """
        using System;
        using System.IO;
        using ModelContextProtocol.Server;

        public partial class FileTools
        {
            [McpServerTool]
            public static string Read(string path) => File.ReadAllText(ResolveUnderRoot("/srv/data", path));
        }

        public partial class FileTools
        {
            private static string ResolveUnderRoot(string root, string relativePath)
            {
                var fullRoot = Path.GetFullPath(root) + Path.DirectorySeparatorChar;
                var fullPath = Path.GetFullPath(Path.Combine(fullRoot, relativePath));
                return fullPath.StartsWith(fullRoot, StringComparison.Ordinal) ? fullPath : throw new ArgumentException("outside");
            }
        }
        """, Key, McpServerStubs.Source);
}
