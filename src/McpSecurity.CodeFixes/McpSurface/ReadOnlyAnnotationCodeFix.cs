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
/// MCPSEC610: the annotation is made to say what the tool does — <c>ReadOnly = true</c> becomes
/// <c>false</c>, <c>Destructive = false</c> becomes <c>true</c> — so clients ask the user before a
/// call again. The tool's code is unchanged; only what it advertises is.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReadOnlyAnnotationCodeFix))]
public sealed class ReadOnlyAnnotationCodeFix : McpSecurityCodeFix
{
    public const string EquivalenceKey = RuleIdentifiers.ReadOnlyAnnotationContradicted + ".AnnotateSideEffects";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.ReadOnlyAnnotationContradicted);

    protected override SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic)
        => CodeFixTargets.ReportedNode(root, diagnostic)?.FirstAncestorOrSelf<AttributeArgumentSyntax>();

    protected override Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
        => Task.FromResult(Replacement(target) is { } replacement
            ? Offer("Annotate the tool as " + ((AttributeArgumentSyntax)target).NameEquals!.Name.Identifier.ValueText + " = " + replacement.ToString(), EquivalenceKey)
            : None);

    protected override Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
        => Replacement(target) is { } replacement
            ? ReplaceAsync(document, ((AttributeArgumentSyntax)target).Expression, replacement.WithTriviaFrom(((AttributeArgumentSyntax)target).Expression), cancellationToken)
            : Task.FromResult<Document?>(null);

    /// <summary>The literal the annotation takes instead, or null when the argument is not one the rule reports.</summary>
    private static LiteralExpressionSyntax? Replacement(SyntaxNode target)
        => target is AttributeArgumentSyntax { NameEquals.Name.Identifier.ValueText: var name }
            ? name switch
            {
                "ReadOnly" => SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression),
                "Destructive" => SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression),
                _ => null,
            }
            : null;
}
