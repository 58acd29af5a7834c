using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace McpSecurity.TestSupport;

/// <summary>An analyzer test against <see cref="TestReferences.Default"/>, resolved once per run.</summary>
public sealed class McpAnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public McpAnalyzerTest() => ReferenceAssemblies = TestReferences.Default;

    protected override async Task RunImplAsync(CancellationToken cancellationToken)
    {
        await TestReferences.EnsureResolvedAsync(ReferenceAssemblies);
        await base.RunImplAsync(cancellationToken);
    }
}

/// <summary>
/// An analyzer-and-fix test. The fix is checked one diagnostic at a time and through Fix All in
/// document, project and solution scope; the fixed sources must compile without errors.
/// </summary>
public sealed class McpCodeFixTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public McpCodeFixTest() => ReferenceAssemblies = TestReferences.Default;

    protected override async Task RunImplAsync(CancellationToken cancellationToken)
    {
        await TestReferences.EnsureResolvedAsync(ReferenceAssemblies);
        await base.RunImplAsync(cancellationToken);
    }
}

/// <summary>Runs one analyzer over sources written with <c>{|MCPSEC###:…|}</c> markup.</summary>
public static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task VerifyAsync(string source, params string[] additionalSources)
        => CreateTest(source, additionalSources).RunAsync();

    public static McpAnalyzerTest<TAnalyzer> CreateTest(string source, params string[] additionalSources)
    {
        var test = new McpAnalyzerTest<TAnalyzer> { TestCode = source };
        foreach (var additional in additionalSources)
        {
            test.TestState.Sources.Add(additional);
        }

        return test;
    }
}

/// <summary>Runs an analyzer and one of its fixes, chosen by equivalence key.</summary>
public static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static Task VerifyAsync(string source, string fixedSource, string? equivalenceKey = null, params string[] additionalSources)
        => CreateTest(source, fixedSource, equivalenceKey, additionalSources).RunAsync();

    public static McpCodeFixTest<TAnalyzer, TCodeFix> CreateTest(
        string source, string fixedSource, string? equivalenceKey = null, params string[] additionalSources)
    {
        var test = new McpCodeFixTest<TAnalyzer, TCodeFix>
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = equivalenceKey,
        };
        foreach (var additional in additionalSources)
        {
            test.TestState.Sources.Add(additional);
            test.FixedState.Sources.Add(additional);
        }

        return test;
    }
}
