using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.Analyzers.Shared;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpSecurity.CodeFixes.McpSurface;

/// <summary>
/// MCPSEC609: right after the statement that creates the start info (or the <c>Process</c> whose own
/// start info is used), the child's environment is cleared and the variables of
/// <c>mcpsec.child_environment_allow_list</c> that the server has are copied back:
/// <code>
/// startInfo.Environment.Clear();
/// foreach (var name in new[] { "PATH", "HOME", … })
/// {
///     var value = Environment.GetEnvironmentVariable(name);
///     if (value != null)
///     {
///         startInfo.Environment[name] = value;
///     }
/// }
/// </code>
/// The child loses every other variable, which is the point and can break a program that needs one:
/// the action's title says so, and the allow-list option adds what it needs. Inline, so nothing is
/// added to the type and Fix All needs no shared helper. Offered where the creation initializes a
/// local (or is assigned to one) in a statement list, and its initializer does not already write the
/// environment; not for <c>Process.Start(fileName, …)</c>, which has no start info to prune.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ChildEnvironmentCodeFix))]
public sealed class ChildEnvironmentCodeFix : McpSecurityCodeFix
{
    public const string EquivalenceKey = RuleIdentifiers.ChildProcessInheritsSecrets + ".AllowListedEnvironment";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.ChildProcessInheritsSecrets);

    protected override Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (Place(target) is null)
        {
            return Task.FromResult(None);
        }

        var names = AllowList(document, target.SyntaxTree);
        var shown = string.Join(", ", names.Take(3)) + (names.Length > 3 ? ", …" : string.Empty);
        return Task.FromResult(Offer(
            "Clear the child's environment and copy only " + shown + " (it loses every other variable)", EquivalenceKey));
    }

    protected override async Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || Place(target) is not { } place || target is not BaseObjectCreationExpressionSyntax creation)
        {
            return null;
        }

        var startInfoType = model.Compilation.GetTypeByMetadataName("System.Diagnostics.ProcessStartInfo");
        var processType = model.Compilation.GetTypeByMetadataName("System.Diagnostics.Process");
        var created = model.GetTypeInfo(creation, cancellationToken).Type;
        string receiver;
        if (SymbolEqualityComparer.Default.Equals(created, startInfoType))
        {
            receiver = place.Holder;
        }
        else if (created.DerivesFrom(processType))
        {
            receiver = place.Holder + ".StartInfo";
        }
        else
        {
            return null;
        }

        var names = AllowList(document, target.SyntaxTree);
        if (names.IsEmpty)
        {
            return null;
        }

        var statement = place.Statement;
        var taken = new HashSet<string>(
            (statement.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? (SyntaxNode)statement.SyntaxTree.GetRoot(cancellationToken))
                .DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        taken.Add("value");
        var name = Unique("name", taken);
        var value = Unique("variable", taken);
        var environment = TypeNames.Minimal(model, statement.SpanStart, "System.Environment");

        var eol = SourceLayout.EndOfLine(statement);
        var indent = SourceLayout.LineIndentation(statement);
        var step = indent.Contains("\t") ? "\t" : "    ";
        var list = string.Join(", ", names.Select(n => SymbolDisplay.FormatLiteral(n, quote: true)));
        var text = new StringBuilder()
            .Append(indent).Append("// The child gets only these variables: the server's secrets stay in the server.").Append(eol)
            .Append(indent).Append(receiver).Append(".Environment.Clear();").Append(eol)
            .Append(indent).Append("foreach (var ").Append(name).Append(" in new[] { ").Append(list).Append(" })").Append(eol)
            .Append(indent).Append('{').Append(eol)
            .Append(indent).Append(step).Append("var ").Append(value).Append(" = ").Append(environment).Append(".GetEnvironmentVariable(").Append(name).Append(");").Append(eol)
            .Append(indent).Append(step).Append("if (").Append(value).Append(" != null)").Append(eol)
            .Append(indent).Append(step).Append('{').Append(eol)
            .Append(indent).Append(step).Append(step).Append(receiver).Append(".Environment[").Append(name).Append("] = ").Append(value).Append(';').Append(eol)
            .Append(indent).Append(step).Append('}').Append(eol)
            .Append(indent).Append('}').Append(eol)
            .ToString();
        var clear = SyntaxFactory.ParseStatement(text.Substring(0, text.IndexOf(".Environment.Clear();", System.StringComparison.Ordinal) + ".Environment.Clear();".Length + eol.Length));
        var copy = SyntaxFactory.ParseStatement(text.Substring(clear.FullSpan.Length));
        if (clear.ContainsDiagnostics || copy.ContainsDiagnostics)
        {
            return null;
        }

        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        var anchor = statement.Parent is GlobalStatementSyntax global ? (SyntaxNode)global : statement;
        IEnumerable<SyntaxNode> inserted = anchor is GlobalStatementSyntax
            ? new SyntaxNode[] { SyntaxFactory.GlobalStatement(clear), SyntaxFactory.GlobalStatement(copy) }
            : new SyntaxNode[] { clear, copy };

        // The statement must end its line, or the inserted text would continue it.
        if (!anchor.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)))
        {
            return null;
        }

        return document.WithSyntaxRoot(root.InsertNodesAfter(anchor, inserted));
    }

    /// <summary>Where the fix goes: the statement that stores the creation in a variable, and that variable's name.</summary>
    private static (StatementSyntax Statement, string Holder)? Place(SyntaxNode target)
    {
        if (target is not BaseObjectCreationExpressionSyntax creation)
        {
            return null;
        }

        // Variables the initializer already sets would be cleared with the rest.
        if (creation.Initializer is { } initializer
            && initializer.DescendantNodes().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.ValueText is "Environment" or "EnvironmentVariables"))
        {
            return null;
        }

        SyntaxNode value = creation;
        string? prefix = null;

        // new Process { StartInfo = new ProcessStartInfo { … } }: the start info of the process held by the variable.
        if (creation.Parent is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "StartInfo" }, Parent: InitializerExpressionSyntax { Parent: BaseObjectCreationExpressionSyntax outer } } member
            && member.Right == creation)
        {
            value = outer;
            prefix = ".StartInfo";
        }

        string? holder = null;
        StatementSyntax? statement = null;
        switch (value.Parent)
        {
            case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax local } } declarator }:
                holder = declarator.Identifier.ValueText;
                statement = local;
                break;
            case AssignmentExpressionSyntax { Left: IdentifierNameSyntax name, Parent: ExpressionStatementSyntax assignment } written when written.Right == value:
                holder = name.Identifier.ValueText;
                statement = assignment;
                break;
        }

        if (holder is null || statement is null || statement.Parent is not (BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax))
        {
            return null;
        }

        // A keyword used as a name (@event) must keep its '@'.
        if (SyntaxFacts.GetKeywordKind(holder) != SyntaxKind.None)
        {
            holder = "@" + holder;
        }

        return (statement, holder + prefix);
    }

    private static ImmutableArray<string> AllowList(Document document, SyntaxTree tree)
        => RuleOptionReader.GetList(document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider, tree, RuleCatalog.ChildEnvironmentAllowList);

    private static string Unique(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var i = 2; taken.Contains(candidate); i++)
        {
            candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        taken.Add(candidate);
        return candidate;
    }
}
