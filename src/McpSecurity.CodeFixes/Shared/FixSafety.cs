using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace McpSecurity.CodeFixes.Shared;

/// <summary>
/// The checks every fix's result passes before it is applied: a fix must never break a build.
/// Each fix already checks what it knows it introduces; these catch what it did not foresee (a
/// name that binds elsewhere than intended, a statement made unreachable, a target framework that
/// lacks an API) at the price of binding the changed member once more, only when the fix is chosen.
/// </summary>
internal static class FixSafety
{
    /// <summary>
    /// Whether <paramref name="after"/> has no compiler error or warning that <paramref name="before"/>
    /// did not have, where the fix changed the code: the changed member when the change stays inside
    /// one body, the whole document otherwise (a new using directive, a changed declaration).
    /// Warnings count: many repositories build with <c>TreatWarningsAsErrors</c> (CS0162 after an
    /// inserted <c>throw;</c> was one).
    /// </summary>
    public static async Task<bool> IntroducesNoDiagnosticsAsync(Document before, Document after, CancellationToken cancellationToken)
    {
        var changes = (await after.GetTextChangesAsync(before, cancellationToken).ConfigureAwait(false)).ToList();
        if (changes.Count == 0)
        {
            return true;
        }

        var start = changes.Min(c => c.Span.Start);
        var end = changes.Max(c => c.Span.End);
        var delta = changes.Sum(c => (c.NewText?.Length ?? 0) - c.Span.Length);
        var oldSpan = TextSpan.FromBounds(start, end);
        var newSpan = TextSpan.FromBounds(start, Math.Max(start, end + delta));

        var beforeModel = await before.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var afterModel = await after.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (beforeModel is null || afterModel is null)
        {
            return false;
        }

        var beforeScope = BodyScope(beforeModel.SyntaxTree.GetRoot(cancellationToken), oldSpan);
        var afterScope = BodyScope(afterModel.SyntaxTree.GetRoot(cancellationToken), newSpan);
        if (beforeScope is null || afterScope is null)
        {
            beforeScope = afterScope = null;
        }

        var old = Count(beforeModel.GetDiagnostics(beforeScope, cancellationToken));
        foreach (var group in afterModel.GetDiagnostics(afterScope, cancellationToken).Where(IsReported).GroupBy(d => d.Id))
        {
            if (group.Count() > (old.TryGetValue(group.Key, out var count) ? count : 0))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether every other target framework the file is compiled for (the linked documents of a
    /// multi-target project) gets exactly the same text from the same fix, and compiles with it.
    /// <c>dotnet format</c> fixes each target separately and merges the results: different text
    /// becomes <c>&lt;&lt;&lt;&lt;&lt;&lt;&lt; TODO: Unmerged change</c> markers in the source, and a
    /// change made for one target only is written for all of them.
    /// </summary>
    public static async Task<bool> SameInEveryTargetAsync(
        Document document,
        Document fixedDocument,
        SyntaxNode target,
        Func<Document, SyntaxNode, CancellationToken, Task<Document?>> fix,
        CancellationToken cancellationToken)
    {
        var linkedIds = document.GetLinkedDocumentIds();
        if (linkedIds.IsEmpty)
        {
            return true;
        }

        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var fixedText = (await fixedDocument.GetTextAsync(cancellationToken).ConfigureAwait(false)).ToString();
        foreach (var id in linkedIds)
        {
            // Under Fix All the linked copy has not seen the earlier fixes yet: give it this text.
            if (document.Project.Solution.GetDocument(id) is not { } original)
            {
                continue;
            }

            var linked = original.WithText(text);
            var root = await linked.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return false;
            }

            if (SameNode(root, target) is not { } linkedTarget)
            {
                // Inside '#if' that this target does not compile, the fixed text is inactive there.
                if (root.FindTrivia(target.SpanStart).IsKind(SyntaxKind.DisabledTextTrivia))
                {
                    continue;
                }

                return false;
            }

            var linkedFixed = await fix(linked, linkedTarget, cancellationToken).ConfigureAwait(false);
            if (linkedFixed is null
                || !string.Equals((await linkedFixed.GetTextAsync(cancellationToken).ConfigureAwait(false)).ToString(), fixedText, StringComparison.Ordinal)
                || !await IntroducesNoDiagnosticsAsync(linked, linkedFixed, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The compilations of every target framework that compiles the code at <paramref name="position"/>
    /// (the document's own first), skipping targets for which an <c>#if</c> makes it inactive text.
    /// </summary>
    public static async Task<IReadOnlyList<Compilation>> TargetCompilationsAsync(Document document, int position, CancellationToken cancellationToken)
    {
        var compilations = new List<Compilation>();
        if (await document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is { } own)
        {
            compilations.Add(own);
        }

        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        foreach (var id in document.GetLinkedDocumentIds())
        {
            // Under Fix All the linked copy has not seen the earlier fixes yet: give it this text.
            if (document.Project.Solution.GetDocument(id)?.WithText(text) is not { } linked
                || await linked.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
                || position >= root.FullSpan.End
                || root.FindTrivia(position).IsKind(SyntaxKind.DisabledTextTrivia))
            {
                continue;
            }

            if (await linked.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is { } compilation)
            {
                compilations.Add(compilation);
            }
        }

        return compilations;
    }

    private static SyntaxNode? SameNode(SyntaxNode root, SyntaxNode target)
    {
        if (!root.FullSpan.Contains(target.Span))
        {
            return null;
        }

        for (SyntaxNode? node = root.FindNode(target.Span, getInnermostNodeForTie: true); node is not null; node = node.Parent)
        {
            if (node.Span == target.Span && node.RawKind == target.RawKind)
            {
                return node;
            }

            if (node.Span.Length > target.Span.Length)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>The span of the member body the change lies in, or null (the whole document).</summary>
    private static TextSpan? BodyScope(SyntaxNode root, TextSpan changed)
    {
        if (!root.FullSpan.Contains(changed))
        {
            return null;
        }

        foreach (var node in root.FindNode(changed, getInnermostNodeForTie: true).AncestorsAndSelf())
        {
            switch (node)
            {
                case BlockSyntax or ArrowExpressionClauseSyntax
                    when node.Parent is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax
                        && node.Span.Contains(changed):
                    // The member, not only the body: a changed body can make a parameter unused.
                    return node.Parent is LocalFunctionStatementSyntax
                        ? MemberOf(node.Parent)?.Span
                        : node.Parent is AccessorDeclarationSyntax accessor ? accessor.Parent?.Parent?.Span : node.Parent.Span;
                case GlobalStatementSyntax or MemberDeclarationSyntax or CompilationUnitSyntax:
                    return null;
            }
        }

        return null;
    }

    private static SyntaxNode? MemberOf(SyntaxNode node)
        => node.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax);

    private static bool IsReported(Diagnostic diagnostic)
        => !diagnostic.IsSuppressed && (diagnostic.Severity >= DiagnosticSeverity.Warning || diagnostic.IsWarningAsError);

    private static Dictionary<string, int> Count(IEnumerable<Diagnostic> diagnostics)
        => diagnostics.Where(IsReported).GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.Count());
}
