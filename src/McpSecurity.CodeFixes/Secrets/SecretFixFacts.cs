using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers.Secrets;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace McpSecurity.CodeFixes.Secrets;

/// <summary>
/// What the S1 fixes need to know about a reported literal, recomputed from the document as it is
/// now (Fix All applies one fix after another): the literal's operation and where it flows, by the
/// same walk the analyzer uses, so a fix never disagrees with the diagnostic it fixes.
/// </summary>
internal sealed class SecretFixFacts
{
    private SecretFixFacts(SemanticModel model, ExpressionSyntax literal, IOperation operation, LiteralDestination destination, SecretSymbols symbols)
    {
        Model = model;
        Literal = literal;
        Operation = operation;
        Destination = destination;
        Symbols = symbols;
    }

    public SemanticModel Model { get; }

    public ExpressionSyntax Literal { get; }

    public IOperation Operation { get; }

    public LiteralDestination Destination { get; }

    public SecretSymbols Symbols { get; }

    public static async Task<SecretFixFacts?> CreateAsync(Document document, SyntaxNode node, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || node is not ExpressionSyntax literal || model.GetOperation(literal, cancellationToken) is not { } operation)
        {
            return null;
        }

        var names = SecretNameOptions.Read(document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider, literal.SyntaxTree);
        if (!SecretLiteral.TryGet(operation, names, out _))
        {
            return null;
        }

        var symbols = SecretSymbols.Create(model.Compilation);
        var destination = SecretLiteralFlow.Follow(operation, symbols, names);
        return new SecretFixFacts(model, literal, operation, destination, symbols);
    }

    /// <summary><c>Environment.GetEnvironmentVariable("NAME")</c>, simplified to what the file imports.</summary>
    public static ExpressionSyntax EnvironmentRead(string variable)
        => SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                SyntaxFactory.ParseExpression("System.Environment").WithAdditionalAnnotations(Simplifier.Annotation),
                SyntaxFactory.IdentifierName("GetEnvironmentVariable")),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(variable))))));

    /// <summary><c>throw new InvalidOperationException("message")</c> as an expression.</summary>
    public static ThrowExpressionSyntax ThrowRequired(string message)
        => SyntaxFactory.ThrowExpression(NewException(message));

    /// <summary><c>throw new InvalidOperationException("message");</c> as a statement.</summary>
    public static ThrowStatementSyntax ThrowRequiredStatement(string message)
        => SyntaxFactory.ThrowStatement(NewException(message));

    /// <summary><c>left ?? throw new InvalidOperationException("message")</c>, parenthesized where the context needs it.</summary>
    public static ExpressionSyntax CoalesceThrow(ExpressionSyntax left, string message)
        => Parenthesize(SyntaxFactory.BinaryExpression(
            SyntaxKind.CoalesceExpression,
            Parenthesize(left.WithoutTrivia()),
            ThrowRequired(message)));

    /// <summary>Parentheses that the simplifier removes again where they are not needed.</summary>
    public static ExpressionSyntax Parenthesize(ExpressionSyntax expression)
        => SyntaxFactory.ParenthesizedExpression(expression).WithAdditionalAnnotations(Simplifier.Annotation);

    /// <summary>
    /// Throw expressions are not allowed in expression trees (CS8188): a fix inside a lambda
    /// converted to <c>Expression&lt;…&gt;</c> would not compile.
    /// </summary>
    public static bool InExpressionTree(SemanticModel model, SyntaxNode node, SecretSymbols symbols, CancellationToken cancellationToken)
    {
        foreach (var lambda in node.AncestorsAndSelf().OfType<LambdaExpressionSyntax>())
        {
            if (SecretSymbols.Is(model.GetTypeInfo(lambda, cancellationToken).ConvertedType, symbols.Expression))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a constant is used where only constants are allowed (attribute arguments, case labels,
    /// patterns, parameter defaults, other constants): turning it into a static readonly field or a
    /// plain local would break those uses.
    /// </summary>
    public static async Task<bool> IsUsedAsConstantAsync(ISymbol symbol, Solution solution, CancellationToken cancellationToken)
    {
        var references = await SymbolFinder.FindReferencesAsync(symbol, solution, cancellationToken).ConfigureAwait(false);
        foreach (var reference in references)
        {
            foreach (var location in reference.Locations)
            {
                var root = await location.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                var node = root?.FindNode(location.Location.SourceSpan, getInnermostNodeForTie: true);
                if (node is null || RequiresConstant(node))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool RequiresConstant(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AttributeArgumentSyntax or CaseSwitchLabelSyntax or ConstantPatternSyntax or RelationalPatternSyntax:
                    return true;
                case EqualsValueClauseSyntax { Parent: ParameterSyntax }:
                    return true;
                case FieldDeclarationSyntax field when field.Modifiers.Any(SyntaxKind.ConstKeyword):
                    return true;
                case LocalDeclarationStatementSyntax local when local.Modifiers.Any(SyntaxKind.ConstKeyword):
                    return true;
                case StatementSyntax or MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    private static ObjectCreationExpressionSyntax NewException(string message)
        => SyntaxFactory.ObjectCreationExpression(
            SimplifiedName("System.InvalidOperationException").WithLeadingTrivia(SyntaxFactory.Space),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(message))))),
            initializer: null);

    /// <summary>
    /// A qualified name the simplifier shortens where <c>System</c> is imported. The annotation has
    /// to sit on the name itself: the simplifier does not reduce names inside an annotated expression.
    /// </summary>
    private static NameSyntax SimplifiedName(string qualifiedName)
        => SyntaxFactory.ParseName(qualifiedName).WithAdditionalAnnotations(Simplifier.Annotation);
}
