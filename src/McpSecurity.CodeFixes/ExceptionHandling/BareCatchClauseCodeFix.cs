using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.Analyzers.Shared;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpSecurity.CodeFixes.ExceptionHandling;

/// <summary>
/// MCPSEC201: <c>catch { … return null; }</c> becomes <c>catch (Exception ex) { logger.LogError(ex, …); … throw; }</c>
/// — logged when a logger is in scope, rethrown at every exit that used to leave normally.
/// </summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(BareCatchClauseCodeFix))]
public sealed class BareCatchClauseCodeFix : CodeFixProvider
{
    public const string EquivalenceKey = RuleIdentifiers.BareCatchClause + ".CatchAndRethrow";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.BareCatchClause);

    public override FixAllProvider GetFixAllProvider()
        => SequentialFixAll.Create(CodeFixTargets.CatchClause, (document, node, _, token) => FixAsync(document, node, token));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (CodeFixTargets.CatchClause(root, diagnostic) is not { } catchClause
                || HandlerRewriter.FindNormalExits(model, catchClause) is not { } exits)
            {
                continue;
            }

            var logged = LoggerInScope.Find(model, catchClause.Block.SpanStart) is not null;
            if (!logged && !exits.Any)
            {
                // Every exit already throws; without a logger there is nothing to add.
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    logged ? "Catch Exception, log it and rethrow" : "Catch Exception and rethrow",
                    token => FixOrUnchangedAsync(context.Document, catchClause, token),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> FixOrUnchangedAsync(Document document, CatchClauseSyntax catchClause, CancellationToken cancellationToken)
        => await FixAsync(document, catchClause, cancellationToken).ConfigureAwait(false) ?? document;

    private static async Task<Document?> FixAsync(Document document, SyntaxNode node, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || node is not CatchClauseSyntax catchClause
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

        var replacement = HandlerRewriter.WithExceptionDeclaration(catchClause, name)
            .WithBlock(HandlerRewriter.RewriteExits(catchClause.Block, exits, HandlerRewriter.Rethrow(), log));
        var needsUsing = logger is not null && !LoggerInScope.ExtensionsInScope(model, catchClause.Block.SpanStart, logger);
        return HandlerRewriter.Replace(document, root, catchClause, replacement, needsUsing);
    }
}
