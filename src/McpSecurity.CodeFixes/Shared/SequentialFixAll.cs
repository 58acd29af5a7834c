using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
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
    /// <param name="completeAsync">Work outside the fixed documents, done once after every document
    /// is fixed, given each target that was fixed (in the document as it was just before its fix):
    /// an edit to a shared file (the entry point) then lands once, not once per diagnostic, and
    /// documents fixed in parallel never both rewrite it.</param>
    public static FixAllProvider Create(
        Func<SyntaxNode, Diagnostic, SyntaxNode?> findTarget,
        Func<Document, SyntaxNode, string?, CancellationToken, Task<Document?>> fixAsync,
        Func<Solution, IReadOnlyList<(Document Document, SyntaxNode Target)>, string?, CancellationToken, Task<Solution>>? completeAsync = null)
        => completeAsync is null
            ? FixAllProvider.Create((context, document, diagnostics) => FixDocumentAsync(context, document, diagnostics, findTarget, fixAsync, fixedTargets: null))
            : new CompletingFixAll(findTarget, fixAsync, completeAsync);

    private sealed class CompletingFixAll : FixAllProvider
    {
        private readonly Func<SyntaxNode, Diagnostic, SyntaxNode?> findTarget;
        private readonly Func<Document, SyntaxNode, string?, CancellationToken, Task<Document?>> fixAsync;
        private readonly Func<Solution, IReadOnlyList<(Document Document, SyntaxNode Target)>, string?, CancellationToken, Task<Solution>> completeAsync;

        public CompletingFixAll(
            Func<SyntaxNode, Diagnostic, SyntaxNode?> findTarget,
            Func<Document, SyntaxNode, string?, CancellationToken, Task<Document?>> fixAsync,
            Func<Solution, IReadOnlyList<(Document Document, SyntaxNode Target)>, string?, CancellationToken, Task<Solution>> completeAsync)
        {
            this.findTarget = findTarget;
            this.fixAsync = fixAsync;
            this.completeAsync = completeAsync;
        }

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes()
            => new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
            => Task.FromResult<CodeAction?>(CodeAction.Create(
                "Fix all '" + string.Join("', '", fixAllContext.DiagnosticIds) + "'",
                cancellationToken => FixAllAsync(fixAllContext.WithCancellationToken(cancellationToken)),
                fixAllContext.CodeActionEquivalenceKey));

        private async Task<Solution> FixAllAsync(FixAllContext context)
        {
            // The documents are fixed by Roslyn's document-level Fix All (the same one the other fixes
            // use); each fixed target is recorded on the way for the work that follows.
            var fixedTargets = new ConcurrentQueue<(Document Document, SyntaxNode Target)>();
            var documents = FixAllProvider.Create((inner, document, diagnostics) => FixDocumentAsync(inner, document, diagnostics, findTarget, fixAsync, fixedTargets));
            var solution = context.Solution;
            if (await documents.GetFixAsync(context).ConfigureAwait(false) is { } fixDocuments)
            {
                foreach (var operation in await fixDocuments.GetOperationsAsync(context.CancellationToken).ConfigureAwait(false))
                {
                    if (operation is ApplyChangesOperation apply)
                    {
                        solution = apply.ChangedSolution;
                    }
                }
            }

            return fixedTargets.IsEmpty
                ? solution
                : await completeAsync(solution, fixedTargets.ToList(), context.CodeActionEquivalenceKey, context.CancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<Document?> FixDocumentAsync(
        FixAllContext context,
        Document document,
        ImmutableArray<Diagnostic> diagnostics,
        Func<SyntaxNode, Diagnostic, SyntaxNode?> findTarget,
        Func<Document, SyntaxNode, string?, CancellationToken, Task<Document?>> fixAsync,
        ConcurrentQueue<(Document Document, SyntaxNode Target)>? fixedTargets)
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
                fixedTargets?.Enqueue((current, node));
                current = fixedDocument;
            }
        }

        return current;
    }
}
