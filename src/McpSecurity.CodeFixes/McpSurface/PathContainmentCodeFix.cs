using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace McpSecurity.CodeFixes.McpSurface;

/// <summary>
/// MCPSEC605: a path built as <c>Path.Combine(root, input)</c> (or <c>Path.Join</c>, or either inside
/// <c>Path.GetFullPath</c>) becomes <c>ResolveUnderRoot(root, input)</c>, and the type gains that one
/// helper, once: it resolves the path under the root and throws when the result is not inside it
/// (an absolute input, <c>..</c>). The root is the first argument of the <c>Combine</c>; without one
/// (a bare <c>File.ReadAllText(path)</c>) there is no root to contain the path in, and no fix.
/// The path may be written at the call or in the initializer of a local the call uses (assigned once).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PathContainmentCodeFix))]
public sealed class PathContainmentCodeFix : McpSecurityCodeFix
{
    public const string EquivalenceKey = RuleIdentifiers.ToolInputReachesFilePath + ".ResolveUnderRoot";

    internal const string HelperName = "ResolveUnderRoot";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.ToolInputReachesFilePath);

    protected override Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
        => Task.FromResult(target is ExpressionSyntax expression
            && target.FirstAncestorOrSelf<TypeDeclarationSyntax>() is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax
            && LooksCombined(expression)
                ? Offer("Resolve the path under its root (ResolveUnderRoot)", EquivalenceKey)
                : None);

    /// <summary>By syntax only: a Combine/Join call, or a local declared with one and never assigned again.</summary>
    private static bool LooksCombined(ExpressionSyntax expression)
    {
        expression = Unparenthesize(expression);
        if (IsCombineSyntax(expression))
        {
            return true;
        }

        if (expression is not IdentifierNameSyntax name || name.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not { } member)
        {
            return false;
        }

        var text = name.Identifier.ValueText;
        return member.DescendantNodes().OfType<VariableDeclaratorSyntax>().Any(d => d.Identifier.ValueText == text && d.Initializer is { } initializer && IsCombineSyntax(Unparenthesize(initializer.Value)))
            && !member.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(a => a.Left is IdentifierNameSyntax left && left.Identifier.ValueText == text);
    }

    private static bool IsCombineSyntax(ExpressionSyntax expression)
        => expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Combine" or "Join" or "GetFullPath" } };

    protected override async Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || target is not ExpressionSyntax expression
            || expression.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type
            || type is not (ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax)
            || model.GetDeclaredSymbol(type, cancellationToken) is not { } typeSymbol)
        {
            return null;
        }

        if (PathSite(model, expression, cancellationToken) is not { } site)
        {
            return null;
        }

        var existing = typeSymbol.GetMembers(HelperName);
        if (existing.Length > 0 && !existing.All(IsOurHelper))
        {
            // A member of that name that is not the helper: the call would bind to something else.
            return null;
        }

        var call = SyntaxFactory.ParseExpression(HelperName + "(" + site.Root.ToString() + ", " + site.Relative.ToString() + ")")
            .WithTriviaFrom(site.Expression);
        var marker = new SyntaxAnnotation();
        var newType = type.ReplaceNode(site.Expression, call.WithAdditionalAnnotations(marker));
        if (existing.Length == 0)
        {
            newType = newType.AddMembers(Helper(model, type.SpanStart, SourceLayout.EndOfLine(type)));
        }

        return document.WithSyntaxRoot(root.ReplaceNode(type, newType));
    }

    private static bool IsOurHelper(ISymbol member)
        => member is IMethodSymbol { IsStatic: true, ReturnType.SpecialType: SpecialType.System_String, Parameters.Length: 2 } method
            && method.Parameters.All(p => p.Type.SpecialType == SpecialType.System_String);

    private sealed class Site
    {
        public Site(ExpressionSyntax expression, ExpressionSyntax root, ExpressionSyntax relative)
        {
            Expression = expression;
            Root = root;
            Relative = relative;
        }

        /// <summary>The expression replaced by the helper call.</summary>
        public ExpressionSyntax Expression { get; }

        public ExpressionSyntax Root { get; }

        public ExpressionSyntax Relative { get; }
    }

    /// <summary>Where the path is built from a root: the reported expression itself, or the initializer of the local it names.</summary>
    private static Site? PathSite(SemanticModel model, ExpressionSyntax expression, CancellationToken cancellationToken)
    {
        expression = Unparenthesize(expression);
        if (Combined(model, expression, cancellationToken) is { } direct)
        {
            return direct;
        }

        if (expression is not IdentifierNameSyntax name
            || model.GetSymbolInfo(name, cancellationToken).Symbol is not ILocalSymbol local
            || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: { } initializer } declarator
            || declarator.SyntaxTree != expression.SyntaxTree)
        {
            return null;
        }

        // Assigned again somewhere: the initializer is not the only value the call can see.
        var body = declarator.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        if (body is null || body.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(a => a.Left is IdentifierNameSyntax left
            && left.Identifier.ValueText == local.Name
            && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(left, cancellationToken).Symbol, local)))
        {
            return null;
        }

        return Combined(model, Unparenthesize(initializer), cancellationToken);
    }

    /// <summary><c>Path.Combine(root, relative)</c>, <c>Path.Join(root, relative)</c>, or either inside <c>Path.GetFullPath</c>.</summary>
    private static Site? Combined(SemanticModel model, ExpressionSyntax expression, CancellationToken cancellationToken)
    {
        if (expression is InvocationExpressionSyntax { ArgumentList.Arguments: { Count: 1 } single } fullPath
            && IsPathMethod(model, fullPath, "GetFullPath", cancellationToken)
            && Unparenthesize(single[0].Expression) is InvocationExpressionSyntax inner
            && TwoParts(model, inner, cancellationToken) is { } parts)
        {
            return new Site(expression, parts.Root, parts.Relative);
        }

        return expression is InvocationExpressionSyntax invocation && TwoParts(model, invocation, cancellationToken) is { } combined
            ? new Site(expression, combined.Root, combined.Relative)
            : null;
    }

    private static (ExpressionSyntax Root, ExpressionSyntax Relative)? TwoParts(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        if (invocation.ArgumentList.Arguments is not { Count: 2 } arguments
            || arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None))
            || !(IsPathMethod(model, invocation, "Combine", cancellationToken) || IsPathMethod(model, invocation, "Join", cancellationToken))
            || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method
            || method.Parameters.Any(p => p.Type.SpecialType != SpecialType.System_String))
        {
            return null;
        }

        return (arguments[0].Expression, arguments[1].Expression);
    }

    private static bool IsPathMethod(SemanticModel model, InvocationExpressionSyntax invocation, string name, CancellationToken cancellationToken)
        => model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { IsStatic: true } method
            && method.Name == name
            && method.ContainingType?.ToDisplayString() == "System.IO.Path";

    private static ExpressionSyntax Unparenthesize(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }

    /// <summary>
    /// The helper: portable to every target (no Path.EndsInDirectorySeparator, which .NET Framework lacks),
    /// ordinal (a culture comparison ignores zero-width characters), and its message names no argument value.
    /// </summary>
    private static MemberDeclarationSyntax Helper(SemanticModel model, int position, string endOfLine)
    {
        var path = TypeNames.Minimal(model, position, "System.IO.Path");
        var comparison = TypeNames.Minimal(model, position, "System.StringComparison");
        var argumentException = TypeNames.Minimal(model, position, "System.ArgumentException");
        var text = string.Join(
            endOfLine,
            "private static string " + HelperName + "(string root, string relativePath)",
            "{",
            "    var fullRoot = " + path + ".GetFullPath(root);",
            "    if (!fullRoot.EndsWith(" + path + ".DirectorySeparatorChar.ToString(), " + comparison + ".Ordinal))",
            "    {",
            "        fullRoot += " + path + ".DirectorySeparatorChar;",
            "    }",
            string.Empty,
            "    var fullPath = " + path + ".GetFullPath(" + path + ".Combine(fullRoot, relativePath));",
            "    if (!fullPath.StartsWith(fullRoot, " + comparison + ".Ordinal))",
            "    {",
            "        throw new " + argumentException + "(\"The path is outside the allowed folder.\", nameof(relativePath));",
            "    }",
            string.Empty,
            "    return fullPath;",
            "}") + endOfLine;
        return SyntaxFactory.ParseMemberDeclaration(text)!
            .WithLeadingTrivia(SyntaxFactory.ParseLeadingTrivia(endOfLine + "/// <summary>The full path of <paramref name=\"relativePath\"/> under <paramref name=\"root\"/>; throws when it points outside the root (an absolute path, '..').</summary>" + endOfLine))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }
}
