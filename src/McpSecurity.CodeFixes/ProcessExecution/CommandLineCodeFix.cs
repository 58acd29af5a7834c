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
/// MCPSEC402: <c>Arguments = "clone --depth 1 " + url</c> becomes <c>ArgumentList = { "clone",
/// "--depth", "1", url }</c> with <c>UseShellExecute = false</c>: each hole one argument, joined with
/// the constant text of its word. No fix when the string's quoting is ambiguous (backslashes before a
/// quote, doubled quotes, an open quote) or a hole stands for several arguments.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CommandLineCodeFix))]
public sealed class CommandLineCodeFix : CodeFixProvider
{
    public const string EquivalenceKey = RuleIdentifiers.CommandLineBuiltFromStrings + ".ArgumentList";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.CommandLineBuiltFromStrings);

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
                || await PlanAsync(context.Document, node, context.CancellationToken).ConfigureAwait(false) is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Pass each argument through ArgumentList",
                    async token => await FixAsync(context.Document, node, token).ConfigureAwait(false) ?? context.Document,
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document?> FixAsync(Document document, SyntaxNode node, CancellationToken cancellationToken)
        => await PlanAsync(document, node, cancellationToken).ConfigureAwait(false) is { } plan
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
