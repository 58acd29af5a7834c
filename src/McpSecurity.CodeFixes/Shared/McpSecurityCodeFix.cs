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
/// <remarks>
/// Registration runs while the IDE only asks whether to show a light bulb (on caret moves), so
/// <see cref="OffersAsync"/> looks at the diagnostic's node and nothing wider. Everything that
/// decides whether the result is correct runs when the action is chosen: the fix itself, then
/// <see cref="FixSafety"/> (no new compiler error or warning, the same text for every target
/// framework of the file). An action that turns out not to apply leaves the document unchanged.
/// </remarks>
public abstract class McpSecurityCodeFix : CodeFixProvider
{
    /// <summary>No action: the fix does not apply to this diagnostic.</summary>
    protected static IReadOnlyList<CodeFixOffer> None { get; } = Array.Empty<CodeFixOffer>();

    public sealed override FixAllProvider GetFixAllProvider()
        => SequentialFixAll.Create(FindTarget, FixSafelyAsync, CompletesOutsideDocument ? CompleteAsync : null);

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
                context.RegisterCodeFix(
                    CompletesOutsideDocument
                        ? CodeAction.Create(offer.Title, token => FixSolutionAsync(document, target, key, token), key)
                        : CodeAction.Create(
                            offer.Title,
                            async token => await FixSafelyAsync(document, target, key, token).ConfigureAwait(false) ?? document,
                            key),
                    diagnostic);
            }
        }
    }

    /// <summary>
    /// <see cref="FixAsync"/>, kept only when its result is safe: it compiles with no new error or
    /// warning where it changed the code, and every other target framework the file is compiled for
    /// gets the same text, which compiles there too. Null otherwise.
    /// </summary>
    private async Task<Document?> FixSafelyAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var fixedDocument = await FixAsync(document, target, equivalenceKey, cancellationToken).ConfigureAwait(false);
        if (fixedDocument is null || !await FixSafety.IntroducesNoDiagnosticsAsync(document, fixedDocument, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return await FixSafety.SameInEveryTargetAsync(
            document, fixedDocument, target, (linked, linkedTarget, token) => FixAsync(linked, linkedTarget, equivalenceKey, token), cancellationToken).ConfigureAwait(false)
            ? fixedDocument
            : null;
    }

    private async Task<Solution> FixSolutionAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
        => await FixSafelyAsync(document, target, equivalenceKey, cancellationToken).ConfigureAwait(false) is { } fixedDocument
            ? await CompleteAsync(fixedDocument.Project.Solution, new[] { (document, target) }, equivalenceKey, cancellationToken).ConfigureAwait(false)
            : document.Project.Solution;

    /// <summary>Whether the fix changes more than the diagnostic's document (<see cref="CompleteAsync"/>).</summary>
    protected virtual bool CompletesOutsideDocument => false;

    /// <summary>
    /// The changes outside the fixed documents, made once after the fix (or after Fix All fixed
    /// every document): <paramref name="solution"/> holds the fixed documents, <paramref name="fixedTargets"/>
    /// each fixed target in its document as it was just before the fix.
    /// </summary>
    protected virtual Task<Solution> CompleteAsync(
        Solution solution, IReadOnlyList<(Document Document, SyntaxNode Target)> fixedTargets, string? equivalenceKey, CancellationToken cancellationToken)
        => Task.FromResult(solution);

    /// <summary>The document with <paramref name="replaced"/> (a node of its current root) replaced.</summary>
    protected static async Task<Document?> ReplaceAsync(Document document, SyntaxNode replaced, SyntaxNode replacement, CancellationToken cancellationToken)
        => await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is { } root
            ? document.WithSyntaxRoot(root.ReplaceNode(replaced, replacement))
            : null;

    /// <summary>Offers exactly one action.</summary>
    protected static IReadOnlyList<CodeFixOffer> Offer(string title, string equivalenceKey)
        => new[] { new CodeFixOffer(title, equivalenceKey) };

    /// <summary>The node a diagnostic is about, in <paramref name="root"/>; null to offer nothing.</summary>
    protected virtual SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic) => CodeFixTargets.ReportedNode(root, diagnostic);

    /// <summary>The actions offered for <paramref name="target"/>: <see cref="None"/> when the fix cannot
    /// rewrite it. Looks at the node only (this runs whenever the IDE asks for a light bulb): work that
    /// decides whether the result is correct belongs in <see cref="FixAsync"/>. The first action is
    /// the one the command line and <c>dotnet format</c> apply, so it keeps the code's observable
    /// behaviour where another action would change it. Each action's equivalence key later selects it
    /// in <see cref="FixAsync"/>.</summary>
    protected abstract Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken);

    /// <summary>The document with the action named by <paramref name="equivalenceKey"/> applied to
    /// <paramref name="target"/>, or null when it does not apply (any more: under Fix All an earlier fix
    /// may have changed the surroundings).</summary>
    protected abstract Task<Document?> FixAsync(
        Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken);
}

/// <summary>
/// One action a fix offers: its title in the light bulb and the key Fix All (and the command line's
/// <c>fix --action</c>) selects it by.
/// </summary>
public readonly struct CodeFixOffer
{
    public CodeFixOffer(string title, string equivalenceKey)
    {
        Title = title;
        EquivalenceKey = equivalenceKey;
    }

    public string Title { get; }

    public string EquivalenceKey { get; }
}
