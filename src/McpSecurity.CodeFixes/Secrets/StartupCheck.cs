using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpSecurity.CodeFixes.Secrets;

/// <summary>
/// Makes a fail-fast secret read in a static initializer fail at startup. A static field or
/// property initializer (or a static constructor) runs when its type is first used: a missing
/// variable would surface as a <c>TypeInitializationException</c> inside the first tool call, with
/// the server already up and reporting healthy. Where the project has an entry point (top-level
/// statements or a <c>static Main</c>), its first statement runs the type's initializer:
/// <c>RuntimeHelpers.RunClassConstructor(typeof(X).TypeHandle);</c>, one line per type, which
/// reads every static secret of the type, private ones included, before the host is built. A
/// class library has no entry point: the read stays where it is (the rule pages say so).
/// </summary>
internal static class StartupCheck
{
    private const string Comment = "// Reads the secrets these types hold now, so a missing one stops startup instead of failing the first call that uses it.";

    /// <summary>The solution with the startup lines for the types whose initializers the fixes changed.</summary>
    public static async Task<Solution> AddForAsync(Solution solution, IReadOnlyList<(Document Document, SyntaxNode Target)> fixedTargets, CancellationToken cancellationToken)
    {
        var types = new List<(ProjectId, INamedTypeSymbol)>();
        foreach (var (document, target) in fixedTargets)
        {
            if (await InitializedTypeAsync(document, target, cancellationToken).ConfigureAwait(false) is { } type)
            {
                types.Add((document.Project.Id, type));
            }
        }

        return types.Count == 0 ? solution : await AddAsync(solution, types, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The type whose initializer runs <paramref name="target"/> (a static field or property
    /// initializer, a <c>const</c> the fix makes <c>static readonly</c>, a static constructor), or
    /// null: an instance member, a method body, a lambda (runs later), a generic type (one
    /// initializer per construction).
    /// </summary>
    public static async Task<INamedTypeSymbol?> InitializedTypeAsync(Document document, SyntaxNode target, CancellationToken cancellationToken)
    {
        TypeDeclarationSyntax? declaration = null;
        foreach (var ancestor in target.AncestorsAndSelf())
        {
            if (ancestor is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax or ArrowExpressionClauseSyntax)
            {
                return null;
            }

            if (ancestor is FieldDeclarationSyntax field)
            {
                if (!field.Modifiers.Any(m => m.IsKind(SyntaxKind.StaticKeyword) || m.IsKind(SyntaxKind.ConstKeyword)))
                {
                    return null;
                }

                declaration = field.Parent as TypeDeclarationSyntax;
                break;
            }

            if (ancestor is PropertyDeclarationSyntax property)
            {
                if (!property.Modifiers.Any(SyntaxKind.StaticKeyword) || property.Initializer is null || !property.Initializer.Span.Contains(target.Span))
                {
                    return null;
                }

                declaration = property.Parent as TypeDeclarationSyntax;
                break;
            }

            if (ancestor is ConstructorDeclarationSyntax constructor)
            {
                if (!constructor.Modifiers.Any(SyntaxKind.StaticKeyword))
                {
                    return null;
                }

                declaration = constructor.Parent as TypeDeclarationSyntax;
                break;
            }

            if (ancestor is MemberDeclarationSyntax)
            {
                return null;
            }
        }

        if (declaration is null || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model
            || model.GetDeclaredSymbol(declaration, cancellationToken) is not { } type)
        {
            return null;
        }

        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsGenericType)
            {
                return null;
            }
        }

        return type;
    }

    /// <summary>
    /// The solution with a startup line added to each project's entry point for every type whose
    /// initializer now reads a required secret. One line per type: a type already run there
    /// (an earlier fix, a second run) is not added again. A project without an entry point in its
    /// own source, or whose entry point would not compile with the line, is left as it is.
    /// </summary>
    public static async Task<Solution> AddAsync(Solution solution, IEnumerable<(ProjectId Project, INamedTypeSymbol Type)> types, CancellationToken cancellationToken)
    {
        foreach (var group in types.GroupBy(t => t.Project))
        {
            var names = group.Select(t => MetadataName(t.Type)).Distinct(StringComparer.Ordinal).ToList();
            solution = await AddToProjectAsync(solution, group.Key, names, cancellationToken).ConfigureAwait(false);
        }

        return solution;
    }

    private static async Task<Solution> AddToProjectAsync(Solution solution, ProjectId projectId, IReadOnlyList<string> metadataNames, CancellationToken cancellationToken)
    {
        if (solution.GetProject(projectId) is not { } project
            || await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is not { } compilation
            || compilation.Options.OutputKind is not (OutputKind.ConsoleApplication or OutputKind.WindowsApplication)
            || compilation.GetEntryPoint(cancellationToken) is not { } entryPoint
            || entryPoint.DeclaringSyntaxReferences.FirstOrDefault() is not { } reference
            || solution.GetDocument(reference.SyntaxTree) is not { } program
            || IsGenerated(reference.SyntaxTree, cancellationToken))
        {
            return solution;
        }

        var root = await program.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await program.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || Statements(reference.GetSyntax(cancellationToken)) is not { Count: > 0 } statements)
        {
            return solution;
        }

        // Types the entry point already runs, and where the group of such lines ends.
        var present = new HashSet<string>(StringComparer.Ordinal);
        StatementSyntax? lastPresent = null;
        foreach (var statement in statements)
        {
            if (RunTypeOf(statement) is { } typeOf && model.GetTypeInfo(typeOf.Type, cancellationToken).Type is INamedTypeSymbol run)
            {
                present.Add(MetadataName(run));
                lastPresent = statement;
            }
        }

        var anchor = lastPresent ?? statements[0];
        var indentation = SourceLayout.LineIndentation(anchor);
        var endOfLine = SourceLayout.EndOfLine(root);
        var added = new List<StatementSyntax>();
        foreach (var name in metadataNames)
        {
            if (present.Contains(name)
                || compilation.GetTypeByMetadataName(name) is not { } type
                || !model.IsAccessible(anchor.SpanStart, type))
            {
                continue;
            }

            var statement = SyntaxFactory.ParseStatement(
                "System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof("
                + type.ToMinimalDisplayString(model, anchor.SpanStart) + ").TypeHandle);");
            var leading = added.Count == 0 && lastPresent is null
                ? indentation + Comment + endOfLine + indentation
                : indentation;
            added.Add(statement.WithLeadingTrivia(SyntaxFactory.ParseLeadingTrivia(leading)).WithTrailingTrivia(SyntaxFactory.EndOfLine(endOfLine)));
        }

        if (added.Count == 0)
        {
            return solution;
        }

        SyntaxNode changedRoot;
        if (lastPresent is not null)
        {
            changedRoot = root.InsertNodesAfter(Container(lastPresent), added.Select(Wrap(lastPresent)));
        }
        else
        {
            // Blank lines before the first statement now separate the new lines from the usings;
            // a comment there still describes the statement it was written for.
            var anchorLeading = anchor.GetLeadingTrivia();
            var movedAnchor = anchor;
            if (anchorLeading.All(t => t.IsKind(SyntaxKind.WhitespaceTrivia) || t.IsKind(SyntaxKind.EndOfLineTrivia)))
            {
                added[0] = added[0].WithLeadingTrivia(anchorLeading.Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).Concat(added[0].GetLeadingTrivia()));
                movedAnchor = anchor.WithLeadingTrivia(SyntaxFactory.ParseLeadingTrivia(indentation));
            }

            var wrap = Wrap(anchor);
            var replacement = added.Select(wrap).ToList();
            replacement.Add(anchor.Parent is GlobalStatementSyntax global ? global.WithStatement(movedAnchor) : movedAnchor);
            changedRoot = root.ReplaceNode(Container(anchor), replacement);
        }

        var changed = program.WithSyntaxRoot(changedRoot);
        return await FixSafety.IntroducesNoDiagnosticsAsync(program, changed, cancellationToken).ConfigureAwait(false)
            ? changed.Project.Solution
            : solution;
    }

    /// <summary>The statements the entry point starts with: top-level statements, or <c>Main</c>'s block body.</summary>
    private static IReadOnlyList<StatementSyntax>? Statements(SyntaxNode entry) => entry switch
    {
        CompilationUnitSyntax unit => unit.Members.OfType<GlobalStatementSyntax>().Select(g => g.Statement).ToList(),
        MethodDeclarationSyntax { Body: { } body } => body.Statements,
        _ => null,
    };

    /// <summary>A top-level statement is inserted as a member of the compilation unit.</summary>
    private static SyntaxNode Container(StatementSyntax statement)
        => statement.Parent is GlobalStatementSyntax global ? global : statement;

    private static Func<StatementSyntax, SyntaxNode> Wrap(StatementSyntax anchor)
        => statement => anchor.Parent is GlobalStatementSyntax ? SyntaxFactory.GlobalStatement(statement) : statement;

    private static TypeOfExpressionSyntax? RunTypeOf(StatementSyntax statement)
        => statement is ExpressionStatementSyntax
        {
            Expression: InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "RunClassConstructor" },
                ArgumentList.Arguments: { Count: 1 } arguments,
            },
        }
            && arguments[0].Expression is MemberAccessExpressionSyntax { Expression: TypeOfExpressionSyntax typeOf, Name.Identifier.ValueText: "TypeHandle" }
            ? typeOf
            : null;

    private static string MetadataName(INamedTypeSymbol type)
    {
        var name = type.MetadataName;
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "+" + name;
            type = outer;
        }

        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }

    /// <summary>An entry point the build generates (a test SDK's <c>Program</c>) is rewritten on every build.</summary>
    private static bool IsGenerated(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var path = tree.FilePath.Replace('\\', '/');
        return path.Contains("/obj/")
            || path.EndsWith(".g.cs", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".generated.cs", StringComparison.OrdinalIgnoreCase)
            || tree.GetRoot(cancellationToken).GetLeadingTrivia().ToString().Contains("<auto-generated");
    }
}
