using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.Analyzers.McpSurface;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpSecurity.CodeFixes.McpSurface;

/// <summary>
/// MCPSEC601: <c>app.MapMcp(…)</c> becomes <c>app.MapMcp(…).RequireAuthorization()</c>, right after the
/// call so the rest of the chain (<c>.RequireCors(…)</c>) keeps binding: <c>RequireAuthorization</c> returns
/// the builder it was given. The app starts as before; a request to the endpoint now needs an
/// authenticated user under the default policy. An app with no authentication scheme answers those
/// requests with an error instead of running the tools (it fails closed): the rule's page says what to
/// register. Not offered for an endpoint marked AllowAnonymous, which wins over any requirement: removing
/// the developer's explicit choice is theirs to make.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RequireAuthorizationCodeFix))]
public sealed class RequireAuthorizationCodeFix : McpSecurityCodeFix
{
    public const string EquivalenceKey = RuleIdentifiers.McpEndpointWithoutAuthorization + ".RequireAuthorization";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.McpEndpointWithoutAuthorization);

    /// <summary>Fix All skips endpoints marked AllowAnonymous, like the light bulb.</summary>
    protected override SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic)
        => diagnostic.Properties.ContainsKey(McpEndpointAuthorizationAnalyzer.AnonymousProperty) ? null : base.FindTarget(root, diagnostic);

    protected override Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
        => Task.FromResult(
            target is InvocationExpressionSyntax && !diagnostic.Properties.ContainsKey(McpEndpointAuthorizationAnalyzer.AnonymousProperty)
                ? Offer("Require authorization on the MCP endpoint", EquivalenceKey)
                : None);

    protected override Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
    {
        if (target is not InvocationExpressionSyntax mapMcp)
        {
            return Task.FromResult<Document?>(null);
        }

        var required = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    mapMcp.WithoutTrivia(),
                    SyntaxFactory.IdentifierName("RequireAuthorization")))
            .WithTriviaFrom(mapMcp);
        return ReplaceAsync(document, mapMcp, required, cancellationToken);
    }
}
