using System.Collections.Immutable;
using McpSecurity.Analyzers.Baseline;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.ExceptionHandling;

/// <summary>
/// Guide S2, bare and swallowing exception handlers: MCPSEC201 (bare catch), MCPSEC202 (catch-all
/// that swallows) and MCPSEC203 (exception reported only through its Message). One analyzer owns the
/// three because they read the same facts about a handler and must never report it twice.
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class CatchClauseAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        RuleCatalog.BareCatchClause,
        RuleCatalog.CatchAllSwallowsFailure,
        RuleCatalog.ExceptionObservedOnlyThroughMessage);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var exceptionType = start.Compilation.GetTypeByMetadataName("System.Exception");
            if (exceptionType is null)
            {
                return;
            }

            var systemExceptionType = start.Compilation.GetTypeByMetadataName("System.SystemException");
            // A syntax action, not an operation action: a body without a catch clause (most of them) is
            // never turned into operations for this rule; the clause's operation is asked for where one is.
            start.RegisterSyntaxNodeAction(
                nodeContext => AnalyzeCatchClause(nodeContext, exceptionType, systemExceptionType),
                SyntaxKind.CatchClause);
        });
    }

    private static void AnalyzeCatchClause(
        SyntaxNodeAnalysisContext context, INamedTypeSymbol exceptionType, INamedTypeSymbol? systemExceptionType)
    {
        var model = context.SemanticModel;
        if (context.Node is not CatchClauseSyntax syntax
            || model.GetOperation(syntax, context.CancellationToken) is not ICatchClauseOperation catchClause)
        {
            return;
        }

        var facts = CatchHandlerFacts.Analyze(catchClause, syntax, model, exceptionType, systemExceptionType);
        if (facts is null)
        {
            return;
        }

        // The member's display name is built only for a handler that is reported (most typed catches are not).
        string Member() => SymbolNames.MemberName(model.GetEnclosingSymbol(syntax.SpanStart, context.CancellationToken));
        if (facts.IsBare)
        {
            if (!facts.OnlyRethrows)
            {
                context.ReportUnlessBaselined(Diagnostic.Create(
                    RuleCatalog.BareCatchClause, syntax.CatchKeyword.GetLocation(), Member()));
            }

            return;
        }

        if (facts.CatchesEverything && !facts.HasFilter && facts.LeavesNormally && !facts.ExceptionFlows && !facts.DetailsFlow)
        {
            var declaration = syntax.Declaration!;
            var span = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(syntax.CatchKeyword.SpanStart, declaration.Span.End);
            context.ReportUnlessBaselined(Diagnostic.Create(
                RuleCatalog.CatchAllSwallowsFailure,
                Location.Create(syntax.SyntaxTree, span),
                declaration.Type.ToString(),
                Member()));
            return;
        }

        if (facts.ReportedMessage is { } message)
        {
            context.ReportUnlessBaselined(Diagnostic.Create(
                RuleCatalog.ExceptionObservedOnlyThroughMessage,
                message.Syntax.GetLocation(),
                syntax.Declaration!.Identifier.ValueText));
        }
    }
}
