using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
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
public sealed class ShellCommandCodeFix : CodeFixProvider
{
    public const string EquivalenceKey = RuleIdentifiers.CommandRunThroughShell + ".RunProgram";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.CommandRunThroughShell);

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
            if (CodeFixTargets.ReportedNode(root, diagnostic) is not { } node
                || await PlanAsync(context.Document, node, context.CancellationToken).ConfigureAwait(false) is not { } plan)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Run '" + plan.Rewrite.Program + "' directly with ArgumentList instead of through '" + plan.Shell + "'",
                    async token => await FixAsync(context.Document, node, token).ConfigureAwait(false) ?? context.Document,
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document?> FixAsync(Document document, SyntaxNode node, CancellationToken cancellationToken)
        => await PlanAsync(document, node, cancellationToken).ConfigureAwait(false) is { } plan
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
