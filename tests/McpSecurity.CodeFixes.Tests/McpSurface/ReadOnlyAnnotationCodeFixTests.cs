using McpSecurity.CodeFixes.McpSurface;
using McpSecurity.TestSupport;
using Verify = McpSecurity.TestSupport.CodeFixVerifier<
    McpSecurity.Analyzers.McpSurface.ReadOnlyAnnotationAnalyzer,
    McpSecurity.CodeFixes.McpSurface.ReadOnlyAnnotationCodeFix>;

namespace McpSecurity.CodeFixes.Tests.McpSurface;

/// <summary>MCPSEC610's fix: the annotation says what the tool does.</summary>
public class ReadOnlyAnnotationCodeFixTests
{
    [Fact]
    public Task Fix_all_sets_read_only_false_and_destructive_true() => Verify.VerifyAsync(
        """
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        public class Tools
        {
            [McpServerTool(Name = "remove", {|MCPSEC610:ReadOnly = true|}, {|MCPSEC610:Destructive = false|})]
            public void Remove(string path) => File.Delete(path);

            [McpServerTool({|MCPSEC610:ReadOnly = /* promised */ true|}, Idempotent = true)]
            public void Note(string path) => File.AppendAllText(path, "x");

            [McpServerTool({|MCPSEC610:Destructive = false|})]
            public void Build() => Process.Start("make");
        }
        """,
        """
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        public class Tools
        {
            [McpServerTool(Name = "remove", ReadOnly = false, Destructive = true)]
            public void Remove(string path) => File.Delete(path);

            [McpServerTool(ReadOnly = /* promised */ false, Idempotent = true)]
            public void Note(string path) => File.AppendAllText(path, "x");

            [McpServerTool(Destructive = true)]
            public void Build() => Process.Start("make");
        }
        """,
        ReadOnlyAnnotationCodeFix.EquivalenceKey,
        ToolMetadataStubs.Source);
}
