using McpSecurity.Analyzers.McpSurface;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.AnalyzerVerifier<McpSecurity.Analyzers.McpSurface.ToolFilePathAnalyzer>;

namespace McpSecurity.Analyzers.Tests.McpSurface;

/// <summary>
/// MCPSEC605: tool input reaching a file path, the containment checks people write that work, and
/// the ones that look like checks but are bypassed.
/// </summary>
public class ToolFilePathAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.IO.Compression;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        """;

    private static Task VerifyTools(string source, params DiagnosticResult[] expected)
    {
        var test = Verify.CreateTest(Usings + source, McpServerStubs.Source);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static DiagnosticResult Path605(int markup) => new DiagnosticResult(RuleIdentifiers.ToolInputReachesFilePath, DiagnosticSeverity.Error).WithLocation(markup);

    // ---- Reported -----------------------------------------------------------------------------------

    [Fact]
    public Task Flags_tool_parameter_read_and_written_through_File() => VerifyTools("""
        public static class Tools
        {
            [McpServerTool]
            public static string Read(string path) => File.ReadAllText({|#0:path|});

            [McpServerTool]
            public static void Write(string fileName, string contents) => File.WriteAllText({|#1:fileName|}, contents);
        }
        """,
        Path605(0).WithMessageFormat(RuleCatalog.ToolInputReachesFilePath.MessageFormat).WithArguments("File.ReadAllText", "path"),
        Path605(1).WithArguments("File.WriteAllText", "fileName"));

    [Fact]
    public Task Flags_Path_Combine_alone_because_an_absolute_input_drops_the_root() => VerifyTools("""
        public sealed class Tools
        {
            private const string Root = "/srv/data";

            [McpServerTool]
            public string Read(string relativePath)
            {
                var full = Path.Combine(Root, relativePath);
                return File.ReadAllText({|#0:full|});
            }
        }
        """, Path605(0));

    [Fact]
    public Task Flags_streams_infos_directories_and_zip_archives() => VerifyTools("""
        public static class Tools
        {
            [McpServerTool]
            public static async Task Run(string path, string target)
            {
                using var stream = new FileStream({|#0:path|}, FileMode.Open);
                using var reader = new StreamReader({|#1:path|});
                using var writer = new StreamWriter({|#2:target|});
                var info = new FileInfo({|#3:path|});
                info.CopyTo({|#4:target|});
                Directory.Delete({|#5:target|}, recursive: true);
                new DirectoryInfo({|#6:target|}).Create();
                ZipFile.ExtractToDirectory("/srv/upload.zip", {|#7:target|});
                await File.AppendAllTextAsync({|#8:"/srv/" + path|}, "x");
                File.Copy({|#9:path|}, {|#10:target|});
            }
        }
        """, Path605(0), Path605(1), Path605(2), Path605(3), Path605(4), Path605(5), Path605(6), Path605(7), Path605(8), Path605(9), Path605(10));

    [Fact]
    public Task Flags_StartsWith_root_without_a_separator() => VerifyTools("""
        public sealed class Tools
        {
            private readonly string root = "/srv/app";

            [McpServerTool]
            public string Read(string path)
            {
                var full = Path.GetFullPath(Path.Combine(root, path));
                if (!full.StartsWith(root, StringComparison.Ordinal))
                {
                    throw new ArgumentException("outside");
                }

                return File.ReadAllText({|#0:full|});
            }
        }
        """, Path605(0));

    [Fact]
    public Task Flags_a_culture_sensitive_StartsWith_even_with_the_separator() => VerifyTools("""
        public sealed class Tools
        {
            private readonly string root = "/srv/app";

            [McpServerTool]
            public string Read(string path)
            {
                var full = Path.GetFullPath(Path.Combine(root, path));
                if (!full.StartsWith(root + Path.DirectorySeparatorChar))
                {
                    throw new ArgumentException("outside");
                }

                return File.ReadAllText({|#0:full|});
            }
        }
        """, Path605(0));

    [Fact]
    public Task Flags_a_prefix_check_on_a_path_that_was_never_resolved() => VerifyTools("""
        public sealed class Tools
        {
            private readonly string root = "/srv/app/";

            [McpServerTool]
            public string Read(string path)
            {
                var combined = Path.Combine(root, path);
                if (!combined.StartsWith(root, StringComparison.Ordinal))
                {
                    throw new ArgumentException("outside");
                }

                return File.ReadAllText({|#0:combined|});
            }
        }
        """, Path605(0));

    [Fact]
    public Task Flags_Replace_of_dot_dot_which_is_no_containment() => VerifyTools("""
        public static class Tools
        {
            [McpServerTool]
            public static string Read(string path)
            {
                var cleaned = path.Replace("..", "");
                return File.ReadAllText({|#0:Path.Combine("/srv/data", cleaned)|});
            }
        }
        """, Path605(0));

    [Fact]
    public Task Flags_a_file_name_only_value_given_to_a_directory_api() => VerifyTools("""
        public static class Tools
        {
            [McpServerTool]
            public static void Remove(string name)
            {
                // Path.GetFileName("..") is "..": the parent of the root goes.
                Directory.Delete({|#0:Path.Combine("/srv/data", Path.GetFileName(name))|}, true);
            }
        }
        """, Path605(0));

    [Fact]
    public Task Flags_a_helper_whose_check_is_broken() => VerifyTools("""
        public sealed class Tools
        {
            private const string Root = "/srv/app";

            private static void EnsureInside(string full)
            {
                if (!full.StartsWith(Root, StringComparison.OrdinalIgnoreCase)) throw new ArgumentException("outside");
            }

            [McpServerTool]
            public string Read(string path)
            {
                var full = Path.GetFullPath(Path.Combine(Root, path));
                EnsureInside(full);
                return File.ReadAllText({|#0:full|});
            }
        }
        """, Path605(0));

    [Fact]
    public Task Flags_a_check_that_comes_after_the_file_call() => VerifyTools("""
        public sealed class Tools
        {
            private const string Root = "/srv/app/";

            [McpServerTool]
            public string Read(string path)
            {
                var full = Path.GetFullPath(Path.Combine(Root, path));
                var text = File.ReadAllText({|#0:full|});
                if (!full.StartsWith(Root, StringComparison.Ordinal)) throw new ArgumentException("outside");
                return text;
            }
        }
        """, Path605(0));

    [Fact]
    public Task Flags_input_in_a_delegate_tool() => VerifyTools("""
        public static class Registration
        {
            public static McpServerTool Tool() => McpServerTool.Create((string path) => File.ReadAllText({|#0:path|}));
        }
        """, Path605(0));

    [Fact]
    public Task Flags_arguments_read_from_CallToolRequestParams() => VerifyTools("""
        public static class Dispatcher
        {
            public static string Handle(ModelContextProtocol.Protocol.CallToolRequestParams request)
            {
                var path = request.Arguments!["path"].GetString()!;
                return File.ReadAllText({|#0:path|});
            }
        }
        """, Path605(0));

    [Fact]
    public Task Flags_input_handed_to_a_service_that_opens_the_file_two_calls_deep() => VerifyTools("""
        public sealed class NoteStore
        {
            public string Read(string name) => Load(Path.Combine("/srv/notes", name));

            private static string Load(string file) => File.ReadAllText(file);

            public void Save(string title, string name, string text) => File.WriteAllText(name, text);
        }

        public sealed class NoteTools(NoteStore store)
        {
            [McpServerTool]
            public string Read(string note) => store.Read({|#0:note|});

            [McpServerTool]
            public void Save(string title, string note, string text) => store.Save(title, {|#1:note|}, text);
        }
        """,
        Path605(0).WithArguments("File.ReadAllText' in 'NoteStore.Read", "note"),
        Path605(1).WithArguments("File.WriteAllText' in 'NoteStore.Save", "note"));

    // ---- Containment that is accepted ---------------------------------------------------------------

    [Fact]
    public Task Ignores_GetFullPath_and_StartsWith_root_plus_separator_ordinal() => VerifyTools("""
        public sealed class Tools
        {
            private readonly string root = "/srv/app";

            [McpServerTool]
            public string Read(string path)
            {
                var full = Path.GetFullPath(Path.Combine(root, path));
                if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw new ArgumentException("outside");
                }

                return File.ReadAllText(full);
            }

            [McpServerTool]
            public string ReadIgnoringCase(string path)
            {
                var rootWithSeparator = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
                var full = Path.GetFullPath(path, root);
                return full.StartsWith(rootWithSeparator, StringComparison.OrdinalIgnoreCase) ? File.ReadAllText(full) : "";
            }

            [McpServerTool]
            public string ReadInterpolated(string path)
            {
                var prefix = Path.EndsInDirectorySeparator(root) ? root : $"{root}{Path.DirectorySeparatorChar}";
                var full = new FileInfo(Path.Combine(root, path)).FullName;
                if (!full.AsSpan().StartsWith(prefix.AsSpan())) return "";
                return File.ReadAllText(full);
            }
        }
        """);

    [Fact]
    public Task Ignores_a_root_that_gets_its_separator_appended_in_place() => VerifyTools("""
        public sealed class Tools
        {
            [McpServerTool]
            public string Read(string path)
            {
                var root = Path.GetFullPath("data");
                if (!Path.EndsInDirectorySeparator(root))
                {
                    root += Path.DirectorySeparatorChar;
                }

                var full = Path.GetFullPath(Path.Combine(root, path));
                if (!full.StartsWith(root, StringComparison.Ordinal)) throw new UnauthorizedAccessException();
                return File.ReadAllText(full);
            }
        }
        """);

    [Fact]
    public Task Ignores_GetRelativePath_tested_against_dot_dot() => VerifyTools("""
        public sealed class Tools
        {
            private const string Root = "/srv/app";

            [McpServerTool]
            public string Read(string path)
            {
                var full = Path.GetFullPath(Path.Combine(Root, path));
                var relative = Path.GetRelativePath(Root, full);
                if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
                {
                    throw new ArgumentException("outside");
                }

                return File.ReadAllText(full);
            }
        }
        """);

    [Fact]
    public Task Ignores_a_guard_helper_that_throws_or_returns_the_contained_path() => VerifyTools("""
        public sealed class Tools
        {
            private const string Root = "/srv/app/";

            private static void EnsureUnderRoot(string full)
            {
                if (!full.StartsWith(Root, StringComparison.Ordinal)) throw new UnauthorizedAccessException();
            }

            private static bool IsUnderRoot(string full)
                => !Path.GetRelativePath(Root, full).StartsWith("..", StringComparison.Ordinal);

            private static string Resolve(string relative)
            {
                var full = Path.GetFullPath(Path.Combine(Root, relative));
                EnsureUnderRoot(full);
                return full;
            }

            [McpServerTool]
            public string ReadA(string path)
            {
                var full = Path.GetFullPath(Path.Combine(Root, path));
                EnsureUnderRoot(full);
                return File.ReadAllText(full);
            }

            [McpServerTool]
            public string ReadB(string path)
            {
                var full = Path.GetFullPath(Path.Combine(Root, path));
                if (!IsUnderRoot(full)) return "denied";
                return File.ReadAllText(full);
            }

            [McpServerTool]
            public string ReadC(string path) => File.ReadAllText(Resolve(path));
        }
        """);

    // Seen on real code: a roots object whose Contains normalises the path and calls a static
    // IsUnderRoot that picks an ordinal comparison per operating system; the tool then resolves the
    // checked path into another local before it touches the file.
    [Fact]
    public Task Ignores_a_guard_object_with_an_os_dependent_ordinal_comparison_and_a_later_GetFullPath() => VerifyTools("""
        public static class PathPolicy
        {
            public static bool IsUnderRoot(string path, string root)
            {
                var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                var prefix = root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
                return path.StartsWith(prefix, comparison);
            }
        }

        public sealed class TrustedRoots(string[] roots)
        {
            public bool Contains(string path)
            {
                var full = Path.GetFullPath(path);
                foreach (var root in roots)
                {
                    if (PathPolicy.IsUnderRoot(full, root)) return true;
                }

                return false;
            }
        }

        public sealed class WorkspaceTools(TrustedRoots trustedRoots)
        {
            [McpServerTool]
            public string Open(string path)
            {
                if (!trustedRoots.Contains(path))
                {
                    return "outside the trusted roots";
                }

                string fullPath;
                try
                {
                    fullPath = Path.GetFullPath(path);
                }
                catch (ArgumentException)
                {
                    return "invalid";
                }

                return File.Exists(fullPath) ? File.ReadAllText(fullPath) : "missing";
            }
        }
        """);

    [Fact]
    public Task Flags_a_comparison_that_is_ordinal_only_on_one_branch() => VerifyTools("""
        public sealed class Tools
        {
            private const string Root = "/srv/app/";
            private static StringComparison Comparison => OperatingSystem.IsWindows() ? StringComparison.CurrentCultureIgnoreCase : StringComparison.Ordinal;

            [McpServerTool]
            public string Read(string path)
            {
                var full = Path.GetFullPath(Path.Combine(Root, path));
                if (!full.StartsWith(Root, Comparison)) throw new ArgumentException("outside");
                return File.ReadAllText({|#0:full|});
            }
        }
        """, Path605(0));

    [Fact]
    public Task Ignores_a_service_that_contains_the_path_or_a_tool_that_checks_before_calling_it() => VerifyTools("""
        public sealed class NoteStore
        {
            private const string Root = "/srv/notes/";

            public string ReadContained(string name)
            {
                var full = Path.GetFullPath(Path.Combine(Root, name));
                if (!full.StartsWith(Root, StringComparison.Ordinal)) throw new ArgumentException("outside");
                return File.ReadAllText(full);
            }

            public string ReadAny(string file) => File.ReadAllText(file);

            public string ReadFixed(string title) => File.ReadAllText("/srv/notes/index.md") + title;
        }

        public interface INoteStore
        {
            string Read(string name);
        }

        public sealed class NoteTools(NoteStore store, INoteStore other)
        {
            private const string Root = "/srv/notes/";

            [McpServerTool]
            public string A(string note) => store.ReadContained(note) + store.ReadFixed(note) + other.Read(note);

            [McpServerTool]
            public string B(string note)
            {
                var full = Path.GetFullPath(Path.Combine(Root, note));
                if (!full.StartsWith(Root, StringComparison.Ordinal)) return "outside";
                return store.ReadAny(full);
            }
        }
        """);

    // Seen on real code: a roots validator that probes the path (File.Exists, to resolve a link target)
    // before it compares it with the allowed roots; the probe is part of the check, not an access.
    [Fact]
    public Task Ignores_the_file_calls_a_guard_makes_while_checking() => VerifyTools("""
        public static class RootValidator
        {
            public static async Task ValidateAsync(string path, IReadOnlyList<string> roots)
            {
                await Task.Yield();
                var full = Resolve(path);
                foreach (var root in roots)
                {
                    var withSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
                    if (full.StartsWith(withSeparator, StringComparison.OrdinalIgnoreCase)) return;
                }

                throw new ArgumentException("The path is outside the allowed roots.");
            }

            internal static string Resolve(string path)
            {
                var full = Path.GetFullPath(path);
                if (File.Exists(full) && new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target)
                {
                    return Path.GetFullPath(target.FullName);
                }

                return full;
            }
        }

        public sealed class SyntaxTools
        {
            [McpServerTool]
            public async Task<string> Tree(string filePath)
            {
                await RootValidator.ValidateAsync(filePath, new[] { "/work/" });
                return "tree of " + filePath;
            }
        }
        """);

    // Seen on real code: a service validates the destination, then creates its folder before copying.
    [Fact]
    public Task Ignores_the_folder_of_a_checked_path() => VerifyTools("""
        public static class PathRules
        {
            public static void EnsureAllowed(string path)
            {
                var full = Path.GetFullPath(path);
                if (!full.StartsWith("/srv/out/", StringComparison.Ordinal)) throw new ArgumentException("outside");
            }
        }

        public sealed class Recovery
        {
            public void Recover(string temp, string? target, string original)
            {
                var destination = target ?? original;
                PathRules.EnsureAllowed(destination);
                var folder = Path.GetDirectoryName(destination);
                if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder)) Directory.CreateDirectory(folder);
                File.Copy(temp, destination, true);
            }
        }

        public sealed class SessionTools(Recovery recovery)
        {
            [McpServerTool]
            public void Recover(string? outputPath) => recovery.Recover("/tmp/session.bin", outputPath, "/srv/out/session.docx");
        }
        """);

    [Fact]
    public Task Ignores_a_file_name_combined_with_a_fixed_root() => VerifyTools("""
        public static class Tools
        {
            [McpServerTool]
            public static string Read(string name)
            {
                var file = Path.Combine("/srv/reports", Path.GetFileName(name));
                return File.ReadAllText(file);
            }
        }
        """);

    [Fact]
    public Task Ignores_constant_paths_trusted_values_and_methods_that_are_not_tools() => VerifyTools("""
        public sealed class Tools
        {
            private readonly string logFile = "/var/log/app.log";

            [McpServerTool]
            public string Tail(int lines, ModelContextProtocol.Server.McpServer server)
            {
                var text = File.ReadAllText("/srv/app/config.json") + File.ReadAllText(logFile);
                return text.Substring(0, Math.Min(lines, text.Length));
            }

            public static string NotATool(string path) => File.ReadAllText(path);

            [McpServerTool]
            public static string Lookup(string key)
            {
                var known = new Dictionary<string, string> { ["readme"] = "/srv/README.md" };
                return known.TryGetValue(key, out var file) ? File.ReadAllText(file) : "";
            }
        }
        """);

    [Fact]
    public Task Ignores_input_used_as_contents_or_search_pattern_not_as_path() => VerifyTools("""
        public static class Tools
        {
            [McpServerTool]
            public static string[] Save(string contents, string pattern)
            {
                File.WriteAllText("/srv/app/notes.txt", contents);
                return Directory.GetFiles("/srv/app", pattern);
            }
        }
        """);

    // ---- Odd syntax and partial code ----------------------------------------------------------------

    [Fact]
    public Task Works_in_partial_classes_with_aliases_and_global_usings() => VerifyTools("""
        using IOFile = System.IO.File;

        public partial class Tools
        {
            [McpServerTool]
            public string Read(string path) => IOFile.ReadAllText({|#0:path|});
        }

        public partial class Tools
        {
            public string Other() => "";
        }
        """, Path605(0));

    [Fact]
    public Task Skips_generated_code() => Verify.CreateTest("// <auto-generated/>\n" + Usings + """
        public static class GeneratedTools
        {
            [McpServerTool]
            public static string Read(string path) => File.ReadAllText(path);
        }
        """, McpServerStubs.Source).RunAsync();

    [Fact]
    public Task Partial_code_with_unbound_types_reports_nothing_wrong_and_does_not_throw() => VerifyTools("""
        public sealed class Tools
        {
            [McpServerTool]
            public string Read(string path)
            {
                var store = new {|CS0246:UnknownStore|}(path);
                var full = Path.GetFullPath(Path.Combine(store.Root, path));
                if (!{|CS0103:Guard|}(full)) return "";
                return File.ReadAllText({|#0:full|});
            }
        }
        """, Path605(0));

    [Fact]
    public Task Broken_code_does_not_throw() => Analyzers.Tests.Shared.AnalyzerCrashCheck.NoExceptionsAsync(new ToolFilePathAnalyzer(), McpServerStubs.Source, Usings + """
        public sealed class Tools
        {
            [ModelContextProtocol.Server.McpServerTool]
            public string Read(string path)
            {
                var full = Path.GetFullPath(Path.Combine(, path));
                if (!full.StartsWith(root + , StringComparison.))
                return File.ReadAllText(full
            }

            [ModelContextProtocol.Server.McpServerTool]
            public string Loop(string path) => A(path);

            private static string A(string p) => B(p) + File.ReadAllText(p);
            private static string B(string p) => A(p);
            private static bool G(string p) => G(p) && p.StartsWith("/x/", StringComparison.Ordinal);
            public string Guarded(string path) { if (!G(path)) return ""; return new StreamReader(path).ReadToEnd(); }
        """);
}
