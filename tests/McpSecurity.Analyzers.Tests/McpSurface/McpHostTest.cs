using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpSecurity.Analyzers.Tests.McpSurface;

/// <summary>An analyzer test over the MCP host stubs: a console application when the source has top-level statements.</summary>
internal static class McpHostTest
{
    public static McpAnalyzerTest<TAnalyzer> Create<TAnalyzer>(string source, params string[] otherFiles)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = AnalyzerVerifier<TAnalyzer>.CreateTest(source, otherFiles);
        McpHostStubs.AddTo(test.TestState, test);
        if (HasTopLevelStatements(source))
        {
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
        }

        return test;
    }

    public static bool HasTopLevelStatements(string source)
        => CSharpSyntaxTree.ParseText(WithoutMarkup(source)).GetRoot().ChildNodes().OfType<GlobalStatementSyntax>().Any();

    // '{|MCPSEC601:app.MapMcp()|}' does not parse as C#: the markup is taken out before looking.
    private static string WithoutMarkup(string source) => System.Text.RegularExpressions.Regex.Replace(source, @"\{\|[^:|]*:|\|\}", string.Empty);
}
