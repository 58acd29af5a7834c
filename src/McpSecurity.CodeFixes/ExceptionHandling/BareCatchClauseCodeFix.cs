using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.Analyzers.Shared;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpSecurity.CodeFixes.ExceptionHandling;

/// <summary>
/// MCPSEC201: <c>catch { … return null; }</c> becomes <c>catch (Exception ex) { logger.LogError(ex, …); … throw; }</c>
/// — logged when a logger is in scope, rethrown at every exit that used to leave normally.
/// </summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(BareCatchClauseCodeFix))]
public sealed class BareCatchClauseCodeFix : McpSecurityCodeFix
{
    public const string EquivalenceKey = RuleIdentifiers.BareCatchClause + ".CatchAndRethrow";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.BareCatchClause);

    protected override SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic) => CodeFixTargets.CatchClause(root, diagnostic);

    protected override async Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || target is not CatchClauseSyntax catchClause
            || HandlerRewriter.FindNormalExits(model, catchClause) is not { } exits)
        {
            return None;
        }

        var logged = LoggerInScope.Find(model, catchClause.Block.SpanStart) is not null;
        if (!logged && !exits.Any)
        {
            // Every exit already throws; without a logger there is nothing to add.
            return None;
        }

        return Offer(logged ? "Catch Exception, log it and rethrow" : "Catch Exception and rethrow", EquivalenceKey);
    }

    protected override async Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || target is not CatchClauseSyntax catchClause
            || HandlerRewriter.FindNormalExits(model, catchClause) is not { } exits)
        {
            return null;
        }

        var logger = LoggerInScope.Find(model, catchClause.Block.SpanStart);
        if (logger is null && !exits.Any)
        {
            return null;
        }

        string? name = null;
        StatementSyntax? log = null;
        if (logger is not null)
        {
            name = HandlerRewriter.ExceptionName(model, catchClause);
            var member = SymbolNames.MemberName(model.GetEnclosingSymbol(catchClause.SpanStart, cancellationToken));
            log = HandlerRewriter.LogErrorStatement(logger.Name, name, member);
        }

        var replacement = HandlerRewriter.WithExceptionDeclaration(model, catchClause, name)
            .WithBlock(HandlerRewriter.RewriteExits(catchClause.Block, exits, HandlerRewriter.Rethrow(), log));
        var needsUsing = logger is not null && !LoggerInScope.ExtensionsInScope(model, catchClause.Block.SpanStart, logger);
        return HandlerRewriter.Replace(document, root, catchClause, replacement, needsUsing);
    }
}
