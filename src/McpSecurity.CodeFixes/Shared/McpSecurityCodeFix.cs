using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace McpSecurity.CodeFixes.Shared;

/// <summary>
/// What every McpSecurity fix shares: find the node a diagnostic is about, ask the fix which actions
/// it offers there, and register them so that each one computes its document only when chosen. Fix
/// All replays the same <see cref="FixAsync"/> on each diagnostic in turn (<see cref="SequentialFixAll"/>),
/// so the light bulb and Fix All can never disagree about what a fix does.
/// </summary>
public abstract class McpSecurityCodeFix : CodeFixProvider
{
    /// <summary>No action: the fix does not apply to this diagnostic.</summary>
    protected static IReadOnlyList<CodeFixOffer> None { get; } = Array.Empty<CodeFixOffer>();

    public sealed override FixAllProvider GetFixAllProvider() => SequentialFixAll.Create(FindTarget, FixAsync);

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        var document = context.Document;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (FindTarget(root, diagnostic) is not { } target)
            {
                continue;
            }

            foreach (var offer in await OffersAsync(document, target, diagnostic, context.CancellationToken).ConfigureAwait(false))
            {
                var key = offer.EquivalenceKey;
                var computed = offer.FixedDocument;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        offer.Title,
                        async token => computed ?? await FixAsync(document, target, key, token).ConfigureAwait(false) ?? document,
                        key),
                    diagnostic);
            }
        }
    }

    /// <summary>The document with <paramref name="replaced"/> (a node of its current root) replaced.</summary>
    protected static async Task<Document?> ReplaceAsync(Document document, SyntaxNode replaced, SyntaxNode replacement, CancellationToken cancellationToken)
        => await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is { } root
            ? document.WithSyntaxRoot(root.ReplaceNode(replaced, replacement))
            : null;

    /// <summary>Offers exactly one action.</summary>
    protected static IReadOnlyList<CodeFixOffer> Offer(string title, string equivalenceKey)
        => new[] { new CodeFixOffer(title, equivalenceKey) };

    /// <summary>Offers one action whose document the fix had to compute to know it applies; choosing it reuses that document.</summary>
    protected static IReadOnlyList<CodeFixOffer> Offer(string title, string equivalenceKey, Document fixedDocument)
        => new[] { new CodeFixOffer(title, equivalenceKey, fixedDocument) };

    /// <summary>The node a diagnostic is about, in <paramref name="root"/>; null to offer nothing.</summary>
    protected virtual SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic) => CodeFixTargets.ReportedNode(root, diagnostic);

    /// <summary>The actions offered for <paramref name="target"/>: <see cref="None"/> when the fix cannot
    /// rewrite it safely. Each action's equivalence key later selects it in <see cref="FixAsync"/>.</summary>
    protected abstract Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken);

    /// <summary>The document with the action named by <paramref name="equivalenceKey"/> applied to
    /// <paramref name="target"/>, or null when it does not apply (any more: under Fix All an earlier fix
    /// may have changed the surroundings).</summary>
    protected abstract Task<Document?> FixAsync(
        Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken);
}

/// <summary>
/// One action a fix offers: its title in the light bulb, the key Fix All groups it by, and the fixed
/// document when the fix already computed it to decide whether to offer it (null: computed when chosen).
/// </summary>
public readonly struct CodeFixOffer
{
    public CodeFixOffer(string title, string equivalenceKey, Document? fixedDocument = null)
    {
        Title = title;
        EquivalenceKey = equivalenceKey;
        FixedDocument = fixedDocument;
    }

    public string Title { get; }

    public string EquivalenceKey { get; }

    public Document? FixedDocument { get; }
}
