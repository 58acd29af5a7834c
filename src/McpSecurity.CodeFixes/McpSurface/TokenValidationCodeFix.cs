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

namespace McpSecurity.CodeFixes.McpSurface;

/// <summary>
/// MCPSEC602: a validation flag written as <c>false</c> (or <c>default</c>) becomes <c>true</c>. The
/// flag stays in the code, written out, rather than being removed for its default: a reader sees the
/// check is on, and <c>ValidateIssuerSigningKey</c>, whose default is false, needs it written anyway.
/// Tokens the server accepted only because the check was off are refused afterwards, which is the
/// point. No fix for a validator delegate (what it should check is the author's to say), for
/// <c>"none"</c> among the algorithms, or for a flag set from a named constant.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TokenValidationCodeFix))]
public sealed class TokenValidationCodeFix : McpSecurityCodeFix
{
#pragma warning disable MCPSEC101 // names the token checks the fix turns back on
    public const string EquivalenceKey = RuleIdentifiers.TokenValidationWeakened + ".Validate";
#pragma warning restore MCPSEC101

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.TokenValidationWeakened);

    protected override Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
        => Task.FromResult(IsFalseValue(target) ? Offer("Turn the validation back on (true)", EquivalenceKey) : None);

    protected override Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
        => IsFalseValue(target)
            ? ReplaceAsync(document, target, SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression).WithTriviaFrom(target), cancellationToken)
            : Task.FromResult<Document?>(null);

    /// <summary><c>false</c>, <c>default</c> or <c>default(bool)</c> as the value of an assignment.</summary>
    private static bool IsFalseValue(SyntaxNode node)
        => node.Parent is AssignmentExpressionSyntax assignment
            && assignment.Right == node
            && (node.IsKind(SyntaxKind.FalseLiteralExpression)
                || node.IsKind(SyntaxKind.DefaultLiteralExpression)
                || node is DefaultExpressionSyntax { Type: PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.BoolKeyword } });
}
