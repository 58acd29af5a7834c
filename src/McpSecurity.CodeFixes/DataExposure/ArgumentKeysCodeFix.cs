using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.Analyzers.Secrets;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace McpSecurity.CodeFixes.DataExposure;

/// <summary>
/// MCPSEC501 and MCPSEC502: write the names instead of the values, the guide's
/// <c>"kwargs_keys": list(kwargs.keys())</c>. An arguments collection (or its serialization)
/// becomes <c>string.Join(", ", args.Keys)</c>; a value read under a constant key becomes that key
/// (<c>args["path"]</c> → <c>"path"</c>); a tool parameter, or text derived from it, becomes
/// <c>nameof(parameter)</c>. Offered only when the result compiles.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ArgumentKeysCodeFix))]
public sealed class ArgumentKeysCodeFix : McpSecurityCodeFix
{
    public const string EquivalenceKey = "MCPSEC501-502.NamesInsteadOfValues";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.ArgumentValuesLogged, RuleIdentifiers.ArgumentValuesInErrors);

    protected override async Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        // Whether the names replace the value; whether the result compiles is decided when chosen.
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || target is not ExpressionSyntax value || Replacement(model, value, cancellationToken) is null)
        {
            return None;
        }

        return Offer(
            diagnostic.Id == RuleIdentifiers.ArgumentValuesLogged
                ? "Log the argument names instead of their values"
                : "Report the argument names instead of their values",
            EquivalenceKey);
    }

    protected override async Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || target is not ExpressionSyntax value
            || Replacement(model, value, cancellationToken) is not { } replacement)
        {
            return null;
        }

        var marker = new SyntaxAnnotation();
        var newRoot = root.ReplaceNode(value, replacement.WithTriviaFrom(value).WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation, marker));
        if (replacement.DescendantNodesAndSelf().Any(n => n is SimpleNameSyntax { Identifier.ValueText: "EnumerateObject" }) && newRoot is CompilationUnitSyntax unit)
        {
            // arguments.EnumerateObject().Select(…) needs System.Linq.
            newRoot = UsingDirectives.Add(unit, "System.Linq");
        }

        var fixedDocument = document.WithSyntaxRoot(newRoot);
        return await CompilesAsync(fixedDocument, marker, cancellationToken).ConfigureAwait(false) ? fixedDocument : null;
    }

    /// <summary>The names that replace the reported value, or null when there is nothing safe to write.</summary>
    private static ExpressionSyntax? Replacement(SemanticModel model, ExpressionSyntax value, CancellationToken cancellationToken)
    {
        var operation = SecretOperations.SkipConversions(model.GetOperation(value, cancellationToken));
        var insideJoin = IsJoinedValue(model, value, cancellationToken);

        // JsonSerializer.Serialize(args), args.ToString(), arguments.GetRawText(): the collection's names.
        if (operation is IInvocationOperation { TargetMethod.Name: "Serialize" or "ToString" or "GetRawText" } serialization
            && Serialized(serialization) is { } serialized
            && Names(model, serialized, insideJoin, cancellationToken) is { } serializedNames)
        {
            return serializedNames;
        }

        if (operation is not null && Names(model, operation, insideJoin, cancellationToken) is { } names)
        {
            return names;
        }

        // args["path"], args["path"].GetString(), arguments.GetProperty("path").GetString(): the key.
        if (ConstantKey(operation) is { } key)
        {
            return SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(key));
        }

        // input, input.Trim(), input.ToString(): the parameter's name.
        return RootParameter(operation) is { } parameter
            ? SyntaxFactory.ParseExpression("nameof(" + (SyntaxFacts.GetKeywordKind(parameter.Name) == SyntaxKind.None ? "" : "@") + parameter.Name + ")")
            : null;
    }

    private static IOperation? Serialized(IInvocationOperation invocation)
        => invocation.TargetMethod.Name == "Serialize"
            ? invocation.Arguments.Length > 0 ? SecretOperations.SkipConversions(invocation.Arguments[0].Value) : null
            : SecretOperations.SkipConversions(invocation.Instance);

    /// <summary>The keys of an arguments collection: <c>string.Join(", ", args.Keys)</c>, or <c>args.Keys</c> inside a string.Join.</summary>
    private static ExpressionSyntax? Names(SemanticModel model, IOperation collection, bool insideJoin, CancellationToken cancellationToken)
    {
        if (collection.Syntax is not ExpressionSyntax expression || collection.Type is not { } type)
        {
            return null;
        }

        var receiver = expression.WithoutTrivia();
        var nullable = model.GetTypeInfo(expression, cancellationToken).Nullability.FlowState == NullableFlowState.MaybeNull;
        string? keys = null;
        if (type.GetMembers("Keys").Any() || type.AllInterfaces.Any(i => i.GetMembers("Keys").Any()))
        {
            keys = nullable
                ? Parenthesize(receiver) + "?.Keys ?? System.Array.Empty<string>()"
                : Parenthesize(receiver) + ".Keys";
        }
        else if (type is INamedTypeSymbol { Name: "JsonElement" } && !nullable)
        {
            keys = Parenthesize(receiver) + ".EnumerateObject().Select(property => property.Name)";
        }

        if (keys is null)
        {
            return null;
        }

        return SyntaxFactory.ParseExpression(insideJoin ? keys : "string.Join(\", \", " + keys + ")");
    }

    private static string Parenthesize(ExpressionSyntax expression)
        => expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or ElementAccessExpressionSyntax or InvocationExpressionSyntax
            or PostfixUnaryExpressionSyntax or ThisExpressionSyntax
            ? expression.ToString()
            : "(" + expression + ")";

    /// <summary>Whether the value is the joined sequence of a <c>string.Join(separator, value)</c>.</summary>
    private static bool IsJoinedValue(SemanticModel model, ExpressionSyntax value, CancellationToken cancellationToken)
        => value.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax join } list } argument
            && list.Arguments.Count == 2
            && list.Arguments[1] == argument
            && model.GetSymbolInfo(join, cancellationToken).Symbol is IMethodSymbol { Name: "Join", ContainingType.SpecialType: SpecialType.System_String };

    private static string? ConstantKey(IOperation? operation)
    {
        for (var depth = 0; operation is not null && depth < 8; depth++)
        {
            switch (operation)
            {
                case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when indexer.Arguments.Length == 1:
                    return indexer.Arguments[0].Value.ConstantValue.Value as string;
                case IInvocationOperation { TargetMethod.Name: "GetProperty" } getProperty when getProperty.Arguments.Length == 1:
                    return getProperty.Arguments[0].Value.ConstantValue.Value as string;
                case IInvocationOperation { Instance: { } instance }:
                    // args["path"].GetString(), .ToString(), .GetRawText()
                    operation = SecretOperations.SkipConversions(instance);
                    continue;
                case IConditionalAccessOperation access:
                    operation = SecretOperations.SkipConversions(access.Operation);
                    continue;
                default:
                    return null;
            }
        }

        return null;
    }

    private static IParameterSymbol? RootParameter(IOperation? operation)
    {
        for (var depth = 0; operation is not null && depth < 8; depth++)
        {
            switch (operation)
            {
                case IParameterReferenceOperation parameter:
                    return parameter.Parameter;
                case IInvocationOperation { Instance: { } instance, TargetMethod: var method }
                    when method.Name == "ToString" || method.ContainingType?.SpecialType == SpecialType.System_String:
                    operation = SecretOperations.SkipConversions(instance);
                    continue;
                case IConditionalAccessOperation access:
                    operation = SecretOperations.SkipConversions(access.Operation);
                    continue;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>Whether the fixed document has no error in the statement holding the node marked with <paramref name="marker"/>.</summary>
    internal static async Task<bool> CompilesAsync(Document document, SyntaxAnnotation marker, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return false;
        }

        var statement = root.GetAnnotatedNodes(marker).FirstOrDefault()?.AncestorsAndSelf().FirstOrDefault(n => n is StatementSyntax or MemberDeclarationSyntax);
        return statement is not null
            && !model.GetDiagnostics(statement.FullSpan, cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error);
    }
}
