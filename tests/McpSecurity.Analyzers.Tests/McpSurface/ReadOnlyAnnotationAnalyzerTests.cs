using McpSecurity.Analyzers.McpSurface;
using McpSecurity.Analyzers.Tests.Shared;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis.Testing;

namespace McpSecurity.Analyzers.Tests.McpSurface;

/// <summary>MCPSEC610 through <see cref="ReadOnlyAnnotationAnalyzer"/>, against .NET 8 and <see cref="ToolMetadataStubs"/>.</summary>
public sealed class ReadOnlyAnnotationAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.Diagnostics;
        using System.IO;
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        """;

    private static Task Verify(string source, params DiagnosticResult[] expected)
    {
        var test = AnalyzerVerifier<ReadOnlyAnnotationAnalyzer>.CreateTest(Usings + source, ToolMetadataStubs.Source);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static DiagnosticResult Expected(int location, string tool, string annotation, string effect)
        => new DiagnosticResult(RuleCatalog.ReadOnlyAnnotationContradicted).WithLocation(location).WithArguments(tool, annotation, effect);

    // ---- Effects in the tool's body --------------------------------------------------------------

    [Fact]
    public Task Flags_a_read_only_tool_that_deletes_a_file_and_names_the_call_and_line() => Verify("""
        public class Tools
        {
            [McpServerTool(Name = "cleanup", {|#0:ReadOnly = true|})]
            public string Cleanup(string path)
            {
                File.Delete(path);
                return "done";
            }
        }
        """, Expected(0, "cleanup", "ReadOnly = true", "deletes files via File.Delete at line 13"));

    [Theory]
    [InlineData("File.WriteAllText(path, \"x\");", "writes files via File.WriteAllText")]
    [InlineData("File.AppendAllText(path, \"x\");", "writes files via File.AppendAllText")]
    [InlineData("Directory.CreateDirectory(path);", "creates directories via Directory.CreateDirectory")]
    [InlineData("Directory.Delete(path, true);", "deletes directories via Directory.Delete")]
    [InlineData("new FileInfo(path).MoveTo(path + \".bak\");", "moves or replaces files via FileInfo.MoveTo")]
    [InlineData("using var s = new FileStream(path, FileMode.Append);", "writes files via new FileStream")]
    [InlineData("using var s = File.Open(path, FileMode.Open, FileAccess.ReadWrite);", "writes files via File.Open")]
    [InlineData("using var w = new StreamWriter(path);", "writes files via new StreamWriter")]
    [InlineData("Process.Start(\"git\", \"status\");", "starts a process via Process.Start")]
    [InlineData("new Process { StartInfo = new ProcessStartInfo(\"ls\") }.Start();", "starts a process via Process.Start")]
    public Task Flags_each_kind_of_write_in_a_read_only_tool(string statement, string effect) => Verify($$"""
        public class Tools
        {
            [McpServerTool({|#0:ReadOnly = true|})]
            public void Run(string path)
            {
                {{statement}}
            }
        }
        """, Expected(0, "Run", "ReadOnly = true", effect + " at line 13"));

    [Theory]
    [InlineData("await http.PostAsync(url, null);", "sends an HTTP POST request via HttpClient.PostAsync")]
    [InlineData("await http.DeleteAsync(url);", "sends an HTTP DELETE request via HttpClient.DeleteAsync")]
    [InlineData("await http.PutAsJsonAsync(url, 1);", "sends an HTTP PUT request via HttpClient.PutAsJsonAsync")]
    [InlineData("await http.SendAsync(new HttpRequestMessage(HttpMethod.Patch, url));", "sends an HTTP PATCH request via HttpClient.SendAsync")]
    [InlineData("var request = new HttpRequestMessage { Method = new HttpMethod(\"post\") }; await http.SendAsync(request);", "sends an HTTP POST request via HttpClient.SendAsync")]
    public Task Flags_modifying_http_requests_in_a_read_only_tool(string statement, string effect) => Verify($$"""
        public class Tools(HttpClient http)
        {
            [McpServerTool({|#0:ReadOnly = true|})]
            public async Task Run(string url)
            {
                {{statement}}
            }
        }
        """, Expected(0, "Run", "ReadOnly = true", effect + " at line 13"));

    [Fact]
    public Task Flags_destructive_false_only_for_destructive_effects() => Verify("""
        public class Tools(HttpClient http)
        {
            [McpServerTool({|#0:Destructive = false|})]
            public void Overwrite(string path) => File.WriteAllText(path, "x");

            [McpServerTool(Destructive = false)]
            public void Append(string path) => File.AppendAllText(path, "x");

            [McpServerTool(Destructive = false)]
            public Task Post(string url) => http.PostAsync(url, null);

            [McpServerTool(Destructive = false)]
            public void MakeDirectory(string path) => Directory.CreateDirectory(path);

            [McpServerTool({|#1:Destructive = false|})]
            public void Run() => Process.Start("make");
        }
        """,
        Expected(0, "Overwrite", "Destructive = false", "writes files via File.WriteAllText at line 11"),
        Expected(1, "Run", "Destructive = false", "starts a process via Process.Start at line 23"));

    [Fact]
    public Task Flags_both_annotations_when_both_are_contradicted() => Verify("""
        public class Tools
        {
            [McpServerTool({|#0:ReadOnly = true|}, {|#1:Destructive = false|})]
            public void Remove(string path) => File.Delete(path);
        }
        """,
        Expected(0, "Remove", "ReadOnly = true", "deletes files via File.Delete at line 11"),
        Expected(1, "Remove", "Destructive = false", "deletes files via File.Delete at line 11"));

    // ---- Helpers ---------------------------------------------------------------------------------

    [Fact]
    public Task Follows_calls_into_the_compilations_methods_two_levels_deep() => Verify("""
        public class Store
        {
            public void Save(string path, string text) => Write(path, text);
            private static void Write(string path, string text) => File.WriteAllText(path, text);
        }

        public class Tools(Store store)
        {
            [McpServerTool({|#0:ReadOnly = true|})]
            public string Remember(string text)
            {
                store.Save("/tmp/notes.txt", text);
                return "ok";
            }
        }
        """, Expected(0, "Remember", "ReadOnly = true", "calls 'Store.Save', which calls 'Store.Write', which writes files via File.WriteAllText at line 11"));

    [Fact]
    public Task Follows_extension_method_helpers() => Verify("""
        public static class PathExtensions
        {
            public static void Erase(this string path) => File.Delete(path);
        }

        public class Tools
        {
            [McpServerTool({|#0:ReadOnly = true|})]
            public void Run(string path) => path.Erase();
        }
        """, Expected(0, "Run", "ReadOnly = true", "calls 'PathExtensions.Erase', which deletes files via File.Delete at line 10"));

    [Fact]
    public Task Stops_after_two_levels_of_helpers() => Verify("""
        public static class Deep
        {
            public static void A(string p) => B(p);
            public static void B(string p) => C(p);
            public static void C(string p) => File.Delete(p);
        }

        public class Tools
        {
            [McpServerTool(ReadOnly = true)]
            public void Run(string path) => Deep.A(path);
        }
        """);

    [Fact]
    public Task Survives_recursive_helpers() => Verify("""
        public static class Loop
        {
            public static void A(int n) { if (n > 0) B(n - 1); }
            public static void B(int n) { if (n > 0) A(n - 1); }
        }

        public class Tools
        {
            [McpServerTool(ReadOnly = true)]
            public void Run() => Loop.A(3);
        }
        """);

    [Fact]
    public Task Counts_writes_in_lambdas_and_local_functions_of_the_tool() => Verify("""
        public class Tools
        {
            [McpServerTool({|#0:ReadOnly = true|})]
            public void Run(string path)
            {
                Save();
                void Save() => File.WriteAllText(path, "x");
            }
        }
        """, Expected(0, "Run", "ReadOnly = true", "writes files via File.WriteAllText at line 14"));

    // ---- False-positive traps --------------------------------------------------------------------

    [Fact]
    public Task Ignores_reads_memory_streams_string_writers_and_get_requests() => Verify("""
        public class Tools(HttpClient http)
        {
            [McpServerTool(ReadOnly = true, Destructive = false)]
            public async Task<string> Read(string path, string url)
            {
                var text = File.ReadAllText(path);
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
                using var opened = File.Open(path, FileMode.Open);
                using var memory = new MemoryStream();
                using var writer = new StreamWriter(memory);
                using var strings = new StringWriter();
                strings.Write(text);
                var exists = File.Exists(path) && Directory.Exists(path);
                await http.GetStringAsync(url);
                await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, url));
                await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
                var info = new ProcessStartInfo("git", "status");
                return text + info.FileName;
            }
        }
        """);

    [Fact]
    public Task Ignores_tools_that_do_not_promise_to_be_read_only() => Verify("""
        public class Tools
        {
            [McpServerTool(ReadOnly = false)]
            public void A(string path) => File.Delete(path);

            [McpServerTool(Destructive = true)]
            public void B(string path) => File.Delete(path);

            [McpServerTool]
            public void C(string path) => File.Delete(path);

            public void NotATool(string path) => File.Delete(path);
        }
        """);

    [Fact]
    public Task Ignores_modes_and_verbs_it_cannot_read() => Verify("""
        public class Tools(HttpClient http)
        {
            [McpServerTool(ReadOnly = true)]
            public async Task Run(string path, FileMode mode, HttpMethod verb, HttpRequestMessage request)
            {
                using var stream = new FileStream(path, mode);
                await http.SendAsync(new HttpRequestMessage(verb, path));
                await http.SendAsync(request);
            }
        }
        """);

    [Fact]
    public Task Ignores_calls_through_interfaces() => Verify("""
        public interface IStore { void Delete(string path); }

        public class Tools(IStore store)
        {
            [McpServerTool(ReadOnly = true)]
            public void Run(string path) => store.Delete(path);
        }
        """);

    [Fact]
    public Task Flags_in_partial_classes_with_expression_bodies_and_aliases() => Verify("""
        using IOFile = System.IO.File;

        public partial class Tools
        {
            [McpServerTool({|#0:ReadOnly = true|})]
            public static void Touch(string path) => IOFile.Create(path).Dispose();
        }
        """, Expected(0, "Touch", "ReadOnly = true", "writes files via File.Create at line 13"));

    [Fact]
    public Task Flags_a_tool_declared_beside_top_level_statements_with_global_usings()
    {
        var test = AnalyzerVerifier<ReadOnlyAnnotationAnalyzer>.CreateTest("""
            Console.WriteLine(Tools.Save("x"));

            public static class Tools
            {
                [McpServerTool({|MCPSEC610:ReadOnly = true|})]
                public static string Save(string path) { File.WriteAllText(path, ""); return path; }
            }
            """, ToolMetadataStubs.Source, """
            global using System;
            global using System.IO;
            global using ModelContextProtocol.Server;
            """);
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        return test.RunAsync();
    }

    [Fact]
    public Task Skips_generated_code()
        => AnalyzerVerifier<ReadOnlyAnnotationAnalyzer>.CreateTest("""
            // <auto-generated/>
            using System.IO;
            using ModelContextProtocol.Server;

            public class Tools
            {
                [McpServerTool(ReadOnly = true)]
                public void Run(string path) => File.Delete(path);
            }
            """, ToolMetadataStubs.Source).RunAsync();

    [Fact]
    public Task Code_that_does_not_bind_does_not_throw()
        => AnalyzerCrashCheck.NoExceptionsAsync(new ReadOnlyAnnotationAnalyzer(), ToolMetadataStubs.Source, """
            using System.IO;
            using ModelContextProtocol.Server;
            public class Tools
            {
                [McpServerTool(ReadOnly = true, Destructive = Missing)]
                public void Run(string path) { File.Delete(); Helper.Nope(path); new FileStream(path, FileMode.Nope); Undefined(); }
                [McpServerTool(ReadOnly = )] public void Broken() => File.WriteAllText(
            }
            """);
}
