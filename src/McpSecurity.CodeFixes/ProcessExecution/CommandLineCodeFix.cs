using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace McpSecurity.CodeFixes.ProcessExecution;

/// <summary>
/// MCPSEC402: <c>Arguments = "clone --depth 1 " + url</c> becomes <c>ArgumentList = { "clone",
/// "--depth", "1", url }</c> with <c>UseShellExecute = false</c>: each hole one argument, joined with
/// the constant text of its word. No fix when the string's quoting is ambiguous (backslashes before a
/// quote, doubled quotes, an open quote) or a hole stands for several arguments.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CommandLineCodeFix))]
public sealed class CommandLineCodeFix : McpSecurityCodeFix
{
    public const string EquivalenceKey = RuleIdentifiers.CommandLineBuiltFromStrings + ".ArgumentList";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.CommandLineBuiltFromStrings);

    protected override async Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
        => await PlanAsync(document, target, cancellationToken).ConfigureAwait(false) is null
            ? None
            : Offer("Pass each argument through ArgumentList", EquivalenceKey);

    protected override async Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
        => await PlanAsync(document, target, cancellationToken).ConfigureAwait(false) is { } plan
            ? await plan.Rewrite.ApplyAsync(document, plan.Facts.Model, cancellationToken).ConfigureAwait(false)
            : null;

    private static async Task<(ProcessStartFixFacts Facts, ArgumentListRewrite Rewrite)?> PlanAsync(
        Document document, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (await ProcessStartFixFacts.CreateAsync(document, node, cancellationToken).ConfigureAwait(false) is not { } facts
            || facts.ArgumentsAt(node) is not { } found
            || ArgumentListRewrite.ForCommandLine(facts, found.Launch, found.Arguments, out _) is not { } rewrite)
        {
            return null;
        }

        return (facts, rewrite);
    }
}
