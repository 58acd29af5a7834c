using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace McpSecurity.CodeFixes.Shared;

/// <summary>
/// Fix All that applies the single-diagnostic fix to each diagnostic of a document in turn, on the
/// document as the previous fixes left it. Our fixes need a fresh semantic model (exit points,
/// loggers in scope) and some touch shared places (a using directive), which a text-merging batch
/// fixer would combine badly. Nodes are tracked so nested handlers are each fixed once.
/// </summary>
internal static class SequentialFixAll
{
    /// <param name="findTarget">The node a diagnostic is about, in the original root; null to skip it.</param>
    /// <param name="fixAsync">The single fix, given the document and the current node for the target,
    /// and the equivalence key of the action that Fix All was started from; null when not applicable.</param>
    public static FixAllProvider Create(
        Func<SyntaxNode, Diagnostic, SyntaxNode?> findTarget,
        Func<Document, SyntaxNode, string?, CancellationToken, Task<Document?>> fixAsync)
        => FixAllProvider.Create(
            (context, document, diagnostics) => FixDocumentAsync(context, document, diagnostics, findTarget, fixAsync));

    private static async Task<Document?> FixDocumentAsync(
        FixAllContext context,
        Document document,
        ImmutableArray<Diagnostic> diagnostics,
        Func<SyntaxNode, Diagnostic, SyntaxNode?> findTarget,
        Func<Document, SyntaxNode, string?, CancellationToken, Task<Document?>> fixAsync)
    {
        var cancellationToken = context.CancellationToken;
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        // Outer nodes first: a fix to an outer handler keeps the inner ones (and their tracking) intact.
        var targets = new List<SyntaxNode>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (findTarget(root, diagnostic) is { } target && !targets.Contains(target))
            {
                targets.Add(target);
            }
        }

        if (targets.Count == 0)
        {
            return null;
        }

        var current = document.WithSyntaxRoot(root.TrackNodes(targets));
        foreach (var target in targets)
        {
            var currentRoot = await current.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (currentRoot?.GetCurrentNode(target) is not { } node)
            {
                continue;
            }

            if (await fixAsync(current, node, context.CodeActionEquivalenceKey, cancellationToken).ConfigureAwait(false) is { } fixedDocument)
            {
                current = fixedDocument;
            }
        }

        return current;
    }
}
