using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
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
public sealed class ShellExecuteCodeFix : McpSecurityCodeFix
{
    public const string EquivalenceKey = RuleIdentifiers.ShellExecuteWithNonConstantTarget + ".NoShellExecute";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.ShellExecuteWithNonConstantTarget);

    protected override Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
        => Task.FromResult(IsTrueLiteral(target) ? Offer("Set UseShellExecute = false", EquivalenceKey) : None);

    protected override Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
        => IsTrueLiteral(target)
            ? ReplaceAsync(document, target, SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression).WithTriviaFrom(target), cancellationToken)
            : Task.FromResult<Document?>(null);

    private static bool IsTrueLiteral(SyntaxNode node) => node is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.TrueLiteralExpression);
}
