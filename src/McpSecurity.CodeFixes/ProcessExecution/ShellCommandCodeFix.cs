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
/// MCPSEC401: <c>bash -c "git log " + branch</c> becomes the program itself — <c>FileName = "git"</c>,
/// <c>UseShellExecute = false</c>, <c>ArgumentList = { "log", branch }</c> — when the command is a
/// simple template (constant words and holes, POSIX quoting, no metacharacters) whose first word is a
/// program rather than a shell builtin. Pipes, redirections, <c>&amp;&amp;</c>, expansions, PowerShell
/// scripts and interpreter code get no fix: a list of arguments cannot say what they say.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ShellCommandCodeFix))]
public sealed class ShellCommandCodeFix : McpSecurityCodeFix
{
    public const string EquivalenceKey = RuleIdentifiers.CommandRunThroughShell + ".RunProgram";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.CommandRunThroughShell);

    protected override async Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
        => await PlanAsync(document, target, cancellationToken).ConfigureAwait(false) is { } plan
            ? Offer("Run '" + plan.Rewrite.Program + "' directly with ArgumentList instead of through '" + plan.Shell + "'", EquivalenceKey)
            : None;

    protected override async Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
        => await PlanAsync(document, target, cancellationToken).ConfigureAwait(false) is { } plan
            ? await plan.Rewrite.ApplyAsync(document, plan.Facts.Model, cancellationToken).ConfigureAwait(false)
            : null;

    private static async Task<(ProcessStartFixFacts Facts, ArgumentListRewrite Rewrite, string Shell)?> PlanAsync(
        Document document, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (await ProcessStartFixFacts.CreateAsync(document, node, cancellationToken).ConfigureAwait(false) is not { } facts
            || facts.ShellFindingAt(node) is not { } found
            || ArgumentListRewrite.ForShell(facts, found.Launch, found.Finding, out _) is not { } rewrite)
        {
            return null;
        }

        return (facts, rewrite, found.Finding.Shell.Display);
    }
}
