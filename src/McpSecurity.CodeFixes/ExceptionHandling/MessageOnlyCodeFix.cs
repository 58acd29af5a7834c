using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.Analyzers.Shared;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpSecurity.CodeFixes.ExceptionHandling;

/// <summary>
/// MCPSEC203: where <c>ex.Message</c> goes into a logger call, pass <c>ex</c> as the call's exception
/// argument; where it goes into a new exception, pass <c>ex</c> as the inner exception. Offered only
/// when the new call binds to an overload that takes the exception there.
/// </summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(MessageOnlyCodeFix))]
public sealed class MessageOnlyCodeFix : McpSecurityCodeFix
{
    public const string EquivalenceKey = RuleIdentifiers.ExceptionObservedOnlyThroughMessage + ".PassException";

    private const string LoggerExtensionsName = "Microsoft.Extensions.Logging.LoggerExtensions";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.ExceptionObservedOnlyThroughMessage);

    protected override async Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || Plan(model, target, cancellationToken) is not { } plan)
        {
            return None;
        }

        return Offer(plan.IsLoggerCall ? "Pass the exception to the logger" : "Pass the exception as the inner exception", EquivalenceKey);
    }

    protected override async Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || Plan(model, target, cancellationToken) is not { } plan)
        {
            return null;
        }

        return document.WithSyntaxRoot(root.ReplaceNode(plan.Call, plan.Replacement));
    }

    private static FixPlan? Plan(SemanticModel model, SyntaxNode message, CancellationToken cancellationToken)
    {
        if (message.FirstAncestorOrSelf<CatchClauseSyntax>()?.Declaration is not { Identifier.ValueText.Length: > 0 } declaration)
        {
            return null;
        }

        // The call whose argument carries the message: 'logger.LogWarning("…", ex.Message)',
        // 'new InvalidOperationException("…" + ex.Message)'. Lambdas and statements end the search.
        var argument = message.Parent;
        while (argument is not null and not ArgumentSyntax and not StatementSyntax and not LambdaExpressionSyntax)
        {
            argument = argument.Parent;
        }

        if (argument is not ArgumentSyntax { Parent: ArgumentListSyntax { Parent: { } call } argumentList }
            || argumentList.Arguments.Any(a => a.NameColon is not null))
        {
            return null;
        }

        var exception = SyntaxFactory.Argument(SyntaxFactory.IdentifierName(declaration.Identifier.ValueText));
        var exceptionType = model.Compilation.GetTypeByMetadataName("System.Exception");
        switch (call)
        {
            case InvocationExpressionSyntax invocation
                when model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol method
                    && (method.ReducedFrom ?? method).ContainingType?.ToDisplayString() == LoggerExtensionsName:
                {
                    var messageIndex = -1;
                    for (var i = 0; i < method.Parameters.Length; i++)
                    {
                        if (method.Parameters[i].Name == "message")
                        {
                            messageIndex = i;
                            break;
                        }
                    }

                    if (messageIndex < 0 || messageIndex > argumentList.Arguments.Count)
                    {
                        return null;
                    }

                    var replacement = invocation.WithArgumentList(argumentList.WithArguments(argumentList.Arguments.Insert(messageIndex, exception)));
                    return BindsExceptionParameter(model, invocation, replacement, messageIndex, exceptionType, cancellationToken)
                        ? new FixPlan(invocation, replacement, isLoggerCall: true)
                        : null;
                }

            case BaseObjectCreationExpressionSyntax creation
                when model.GetTypeInfo(creation, cancellationToken).Type.DerivesFrom(exceptionType):
                {
                    var replacement = creation.WithArgumentList(argumentList.AddArguments(exception));
                    return BindsExceptionParameter(model, creation, replacement, argumentList.Arguments.Count, exceptionType, cancellationToken)
                        ? new FixPlan(creation, replacement, isLoggerCall: false)
                        : null;
                }

            default:
                return null;
        }
    }

    /// <summary>
    /// Whether the rewritten call binds, and binds the inserted argument to an Exception parameter.
    /// The call is bound inside its whole statement: <c>_logger?.LogDebug(…)</c> is a member binding
    /// that only means something under its <c>?.</c> (bound alone, Roslyn throws).
    /// </summary>
    private static bool BindsExceptionParameter(
        SemanticModel model, ExpressionSyntax original, ExpressionSyntax replacement, int index, INamedTypeSymbol? exceptionType, CancellationToken cancellationToken)
    {
        var marker = new SyntaxAnnotation();
        var marked = replacement.WithAdditionalAnnotations(marker);
        SemanticModel? speculative = null;
        SyntaxNode? container = null;
        if (original.FirstAncestorOrSelf<StatementSyntax>() is { } statement
            && model.TryGetSpeculativeSemanticModel(statement.SpanStart, statement.ReplaceNode(original, marked), out var statementModel))
        {
            speculative = statementModel;
            container = statementModel.SyntaxTree.GetRoot(cancellationToken);
        }
        else if (original.FirstAncestorOrSelf<ArrowExpressionClauseSyntax>() is { } arrow
            && model.TryGetSpeculativeSemanticModel(arrow.SpanStart, arrow.ReplaceNode(original, marked), out var arrowModel))
        {
            speculative = arrowModel;
            container = arrowModel.SyntaxTree.GetRoot(cancellationToken);
        }

        var symbol = speculative is not null && container?.GetAnnotatedNodes(marker).FirstOrDefault() is { } bound
            ? speculative.GetSymbolInfo(bound, cancellationToken).Symbol
            : null;
        return symbol is IMethodSymbol method
            && index < method.Parameters.Length
            && SymbolEqualityComparer.Default.Equals(method.Parameters[index].Type, exceptionType);
    }

    private sealed class FixPlan
    {
        public FixPlan(ExpressionSyntax call, ExpressionSyntax replacement, bool isLoggerCall)
        {
            Call = call;
            Replacement = replacement;
            IsLoggerCall = isLoggerCall;
        }

        public ExpressionSyntax Call { get; }

        public ExpressionSyntax Replacement { get; }

        public bool IsLoggerCall { get; }
    }
}
