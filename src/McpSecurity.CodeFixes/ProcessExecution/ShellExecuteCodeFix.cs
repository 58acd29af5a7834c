using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpSecurity.CodeFixes.ProcessExecution;

/// <summary>
/// MCPSEC403: <c>UseShellExecute = true</c> becomes <c>false</c>, so the target is started as a
/// program rather than opened by whatever the desktop shell associates with it. That is the security
/// change itself: a document or URL target no longer opens, which is the point.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ShellExecuteCodeFix))]
public sealed class ShellExecuteCodeFix : CodeFixProvider
{
    public const string EquivalenceKey = RuleIdentifiers.ShellExecuteWithNonConstantTarget + ".NoShellExecute";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.ShellExecuteWithNonConstantTarget);

    public override FixAllProvider GetFixAllProvider()
        => SequentialFixAll.Create(CodeFixTargets.ReportedNode, (document, node, _, token) => FixAsync(document, node, token));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (CodeFixTargets.ReportedNode(root, diagnostic) is LiteralExpressionSyntax node && node.IsKind(SyntaxKind.TrueLiteralExpression))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Set UseShellExecute = false",
                        async token => await FixAsync(context.Document, node, token).ConfigureAwait(false) ?? context.Document,
                        EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document?> FixAsync(Document document, SyntaxNode node, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || node is not LiteralExpressionSyntax literal || !literal.IsKind(SyntaxKind.TrueLiteralExpression))
        {
            return null;
        }

        return document.WithSyntaxRoot(root.ReplaceNode(literal, SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression).WithTriviaFrom(literal)));
    }
}
