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
/// MCPSEC201. The first action (<see cref="DefaultKey"/>) keeps what the method does where a logger
/// is in scope: <c>catch { … return null; }</c> becomes <c>catch (Exception ex) { logger.LogError(ex, …); … return null; }</c>
/// — the failure is seen, the caller still gets the fallback. Without a logger nothing can keep the
/// fallback and make the failure seen, so it catches Exception and rethrows at every exit that used
/// to leave normally. The second action (<see cref="EquivalenceKey"/>, with a logger) logs and
/// rethrows. The command line and <c>dotnet format</c> apply the first; one key for the first action
/// everywhere means a Fix All started on a handler without a logger still keeps the fallback of
/// the handlers that have one.
/// </summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(BareCatchClauseCodeFix))]
public sealed class BareCatchClauseCodeFix : McpSecurityCodeFix
{
    public const string DefaultKey = RuleIdentifiers.BareCatchClause + ".Default";
    public const string EquivalenceKey = RuleIdentifiers.BareCatchClause + ".CatchAndRethrow";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.BareCatchClause);

    protected override SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic) => CodeFixTargets.CatchClause(root, diagnostic);

    protected override async Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || target is not CatchClauseSyntax catchClause)
        {
            return None;
        }

        // A goto, a yield break or an exit from a nested catch or finally cannot become 'throw;'.
        var exits = HandlerRewriter.FindNormalExits(model, catchClause);
        if (LoggerInScope.Find(model, catchClause.Block.SpanStart) is null)
        {
            return exits is { Any: true } ? Offer("Catch Exception and rethrow", DefaultKey) : None;
        }

        var offers = new List<CodeFixOffer> { new("Catch Exception and log it (keeps the fallback)", DefaultKey) };
        if (exits is not null)
        {
            offers.Add(new("Catch Exception, log it and rethrow", EquivalenceKey));
        }

        return offers;
    }

    protected override async Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || target is not CatchClauseSyntax catchClause)
        {
            return null;
        }

        var logger = LoggerInScope.Find(model, catchClause.Block.SpanStart);
        string? name = null;
        StatementSyntax? log = null;
        if (logger is not null)
        {
            name = HandlerRewriter.ExceptionName(model, catchClause);
            var member = SymbolNames.MemberName(model.GetEnclosingSymbol(catchClause.SpanStart, cancellationToken));
            log = HandlerRewriter.LogErrorStatement(logger.Name, name, member);
        }

        var needsUsing = logger is not null && !LoggerInScope.ExtensionsInScope(model, catchClause.Block.SpanStart, logger);
        if (equivalenceKey is null or DefaultKey && log is not null)
        {
            return await HandlerRewriter.ReplaceAsync(
                    document, root, catchClause, HandlerRewriter.WithExceptionDeclaration(model, catchClause, name).WithBlock(HandlerRewriter.LogFirst(catchClause.Block, log)), needsUsing, cancellationToken).ConfigureAwait(false);
        }

        if (HandlerRewriter.FindNormalExits(model, catchClause) is not { } exits || (logger is null && !exits.Any))
        {
            // Every exit already throws; without a logger there is nothing to add.
            return null;
        }

        var replacement = HandlerRewriter.WithExceptionDeclaration(model, catchClause, name)
            .WithBlock(HandlerRewriter.RewriteExits(catchClause.Block, exits, HandlerRewriter.Rethrow(), log));
        return await HandlerRewriter.ReplaceAsync(document, root, catchClause, replacement, needsUsing, cancellationToken).ConfigureAwait(false);
    }
}
