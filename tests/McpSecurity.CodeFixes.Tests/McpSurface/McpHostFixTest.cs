using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpSecurity.CodeFixes.Tests.McpSurface;

/// <summary>A fix test over the MCP host stubs: a console application when the source has top-level statements.</summary>
internal static class McpHostFixTest
{
    public static McpCodeFixTest<TAnalyzer, TCodeFix> Create<TAnalyzer, TCodeFix>(string source, string fixedSource, string equivalenceKey)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        var test = CodeFixVerifier<TAnalyzer, TCodeFix>.CreateTest(source, fixedSource, equivalenceKey);
        McpHostStubs.AddTo(test.TestState, test);
        if (CSharpSyntaxTree.ParseText(WithoutMarkup(source)).GetRoot().ChildNodes().OfType<GlobalStatementSyntax>().Any())
        {
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
        }

        return test;
    }

    // '{|MCPSEC601:app.MapMcp()|}' does not parse as C#: the markup is taken out before looking.
    private static string WithoutMarkup(string source) => System.Text.RegularExpressions.Regex.Replace(source, @"\{\|[^:|]*:|\|\}", string.Empty);
}
