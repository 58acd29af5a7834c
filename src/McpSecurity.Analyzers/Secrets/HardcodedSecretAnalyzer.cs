using System.Collections.Concurrent;
using System.Collections.Immutable;
using McpSecurity.Analyzers.Baseline;
using McpSecurity.Analyzers.Shared;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.Secrets;

/// <summary>
/// Guide S1, hardcoded secrets: MCPSEC101 (a literal given to a secret-named target), MCPSEC102 (a
/// secret read with a literal fallback) and MCPSEC103 (literal key material, credentials in
/// connection strings and URIs, well-known token formats). One analyzer owns the three because one
/// walk from each literal decides which of them applies, so a literal is never reported twice.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HardcodedSecretAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        RuleCatalog.HardcodedSecret,
        RuleCatalog.InsecureSecretFallback,
        RuleCatalog.LiteralKeyMaterial);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = SecretSymbols.Create(start.Compilation);
            var provider = start.Options.AnalyzerConfigOptionsProvider;
            var perTree = new ConcurrentDictionary<SyntaxTree, SecretNameOptions>();
            SecretNameOptions NamesFor(SyntaxTree tree) => perTree.GetOrAdd(tree, t => SecretNameOptions.Read(provider, t));

            start.RegisterOperationAction(
                operationContext => AnalyzeLiteral(operationContext, symbols, NamesFor(operationContext.Operation.Syntax.SyntaxTree)),
                OperationKind.Literal,
                OperationKind.InterpolatedString,
                OperationKind.Binary,
                OperationKind.Utf8String,
                OperationKind.FieldReference,
                OperationKind.LocalReference,
                OperationKind.ArrayCreation);
            start.RegisterOperationAction(
                operationContext => AnalyzeSecurityApiUse(operationContext, symbols, NamesFor(operationContext.Operation.Syntax.SyntaxTree)),
                OperationKind.Invocation,
                OperationKind.ObjectCreation,
                OperationKind.SimpleAssignment);
            start.RegisterOperationAction(
                operationContext => AnalyzeConnectionStringBuilding(operationContext, symbols, NamesFor(operationContext.Operation.Syntax.SyntaxTree)),
                OperationKind.Binary,
                OperationKind.InterpolatedString);
        });
    }

    private static void AnalyzeLiteral(OperationAnalysisContext context, SecretSymbols symbols, SecretNameOptions names)
    {
        var operation = context.Operation;
        if (!SecretLiteral.TryGet(operation, names, out var literal))
        {
            return;
        }

        var destination = SecretLiteralFlow.Follow(operation, symbols, names);
        var text = literal.Text;
        switch (destination.Kind)
        {
            case LiteralDestinationKind.SecretNamed when !literal.IsChar:
                if ((text is null || IsSecretValue(text, destination.Name, names)) && !IsCoveredByItsCollection(operation, destination.Name, names))
                {
                    context.ReportUnlessBaselined(Diagnostic.Create(
                        RuleCatalog.HardcodedSecret,
                        operation.Syntax.GetLocation(),
                        destination.Name,
                        destination.Verb,
                        destination.Match.MatchedWords));
                    return;
                }

                break;

            case LiteralDestinationKind.Fallback when destination.Fallback is { } fallback && !literal.IsChar:
                if (text is null || (!SecretValueShapes.NamesTheSecret(text, fallback.Name, names) && !SecretValueShapes.IsNotACredential(text, fallback.Name)))
                {
                    context.ReportUnlessBaselined(Diagnostic.Create(
                        RuleCatalog.InsecureSecretFallback,
                        operation.Syntax.GetLocation(),
                        fallback.Name,
                        fallback.When));
                    return;
                }

                break;

            case LiteralDestinationKind.SecurityApi:
                context.ReportUnlessBaselined(Diagnostic.Create(
                    RuleCatalog.LiteralKeyMaterial,
                    operation.Syntax.GetLocation(),
                    "A hardcoded literal is used as " + destination.Api));
                return;
        }

        // Shapes are judged where the literal is written, not at each use of a constant.
        if (text is null || literal.IsReference || literal.IsChar)
        {
            return;
        }

        string? evidence = null;
        if (SecretValueShapes.TokenFormat(text) is { } format)
        {
            evidence = "The literal has the format of " + format;
        }
        else if (SecretValueShapes.ConnectionStringHasPassword(text))
        {
            evidence = "The connection string literal carries a password (Password=/Pwd=)";
        }
        else if (SecretValueShapes.UriHasPassword(text))
        {
            evidence = "The URI literal carries a password (user:password@)";
        }

        if (evidence is not null)
        {
            context.ReportUnlessBaselined(Diagnostic.Create(RuleCatalog.LiteralKeyMaterial, operation.Syntax.GetLocation(), evidence));
        }
    }

    /// <summary>Whether a literal given to a secret-named target can be the secret (not its name, a mask, prose or a well-known name).</summary>
    private static bool IsSecretValue(string text, string? target, SecretNameOptions names)
        => !SecretValueShapes.NamesTheSecret(text, target, names) && !SecretValueShapes.IsMask(text) && !SecretValueShapes.IsNotACredential(text, target);

    /// <summary>
    /// One finding per array or collection: an element is reported only when no element before it
    /// in the same initializer is, so twelve keys in one list are one mistake to fix, not twelve.
    /// A list whose elements are mostly well-known names (credential kinds, schemes) is an
    /// enumeration, and its other entries ("dev", "prod") are selectors, not secrets.
    /// </summary>
    private static bool IsCoveredByItsCollection(IOperation operation, string? target, SecretNameOptions names)
    {
        var syntax = operation.Syntax;
        var element = syntax.Parent is ExpressionElementSyntax expressionElement ? (SyntaxNode)expressionElement : syntax;
        var siblings = element.Parent switch
        {
            CollectionExpressionSyntax collection => collection.Elements.OfType<ExpressionElementSyntax>().Select(e => e.Expression),
            InitializerExpressionSyntax initializer when initializer.IsKind(SyntaxKind.ArrayInitializerExpression) || initializer.IsKind(SyntaxKind.CollectionInitializerExpression)
                => initializer.Expressions,
            _ => Enumerable.Empty<ExpressionSyntax>(),
        };

        var model = operation.SemanticModel;
        var siblingList = siblings.ToList();
        var texts = siblingList
            .Select(sibling => model?.GetConstantValue(sibling) is { HasValue: true, Value: string siblingText } ? siblingText : null)
            .Where(siblingText => siblingText is not null)
            .ToList();
        var wellKnown = texts.Count(siblingText => SecretValueShapes.IsWellKnownName(siblingText!));
        if (wellKnown >= 2 && wellKnown * 2 >= texts.Count)
        {
            return true;
        }

        foreach (var sibling in siblingList)
        {
            if (sibling == syntax)
            {
                return false;
            }

            if (model?.GetConstantValue(sibling) is { HasValue: true, Value: string siblingText }
                && !SecretValueShapes.IsBlank(siblingText) && IsSecretValue(siblingText, target, names))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Key material that reaches a security API through a local (or a readonly field) that only
    /// ever holds literals: <c>var key = Encoding.UTF8.GetBytes("…"); new SymmetricSecurityKey(key)</c>.
    /// Literals written in the call itself are found from the literal.
    /// </summary>
    private static void AnalyzeSecurityApiUse(OperationAnalysisContext context, SecretSymbols symbols, SecretNameOptions names)
    {
        switch (context.Operation)
        {
            case IInvocationOperation invocation:
                foreach (var argument in invocation.Arguments)
                {
                    if (SecretLiteralFlow.SecurityApiParameter(invocation.TargetMethod, argument.Parameter, symbols) is { } api)
                    {
                        ReportIndirect(context, argument.Value, api, symbols, names);
                    }
                }

                break;

            case IObjectCreationOperation { Constructor: { } constructor } creation:
                foreach (var argument in creation.Arguments)
                {
                    if (SecretLiteralFlow.SecurityApiParameter(constructor, argument.Parameter, symbols) is { } api)
                    {
                        ReportIndirect(context, argument.Value, api, symbols, names);
                    }
                }

                break;

            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment
                when SecretLiteralFlow.SecurityApiProperty(property.Property, symbols) is { } propertyApi:
                ReportIndirect(context, assignment.Value, propertyApi, symbols, names);
                break;
        }
    }

    private static void ReportIndirect(OperationAnalysisContext context, IOperation value, string api, SecretSymbols symbols, SecretNameOptions names)
    {
        if (LiteralOnlyValues.IndirectSource(value, symbols) is not { } holder)
        {
            return;
        }

        // A secret-named holder is already reported where the literal is written (MCPSEC101).
        if (SecretNames.IsSecretName(holder.Name, names).IsSecret)
        {
            return;
        }

        context.ReportUnlessBaselined(Diagnostic.Create(
            RuleCatalog.LiteralKeyMaterial,
            value.Syntax.GetLocation(),
            "'" + holder.Name + "' holds only hardcoded literals and is used as " + api));
    }

    /// <summary><c>"Server=db;Password=" + password</c> or <c>$"…;Password={password}"</c> where the password is a literal-only local.</summary>
    private static void AnalyzeConnectionStringBuilding(OperationAnalysisContext context, SecretSymbols symbols, SecretNameOptions names)
    {
        switch (context.Operation)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, ConstantValue.HasValue: false } binary
                when binary.Type?.SpecialType == SpecialType.System_String
                    && RightmostText(binary.LeftOperand) is { } left && SecretValueShapes.EndsWithPasswordKey(left):
                ReportPassword(context, binary.RightOperand, symbols, names);
                break;

            case IInterpolatedStringOperation { ConstantValue.HasValue: false } interpolated:
                for (var i = 0; i + 1 < interpolated.Parts.Length; i++)
                {
                    if (interpolated.Parts[i] is IInterpolatedStringTextOperation { Text.ConstantValue: { HasValue: true, Value: string text } }
                        && interpolated.Parts[i + 1] is IInterpolationOperation hole
                        && SecretValueShapes.EndsWithPasswordKey(text))
                    {
                        ReportPassword(context, hole.Expression, symbols, names);
                    }
                }

                break;
        }
    }

    private static void ReportPassword(OperationAnalysisContext context, IOperation value, SecretSymbols symbols, SecretNameOptions names)
    {
        var inner = SecretOperations.SkipConversions(value);
        if (inner is ILocalReferenceOperation local
            && !SecretNames.IsSecretName(local.Local.Name, names).IsSecret
            && LiteralOnlyValues.IsLiteralOnlyLocal(local.Local, SecretOperations.Root(value), 0, symbols, out var sample)
            && sample is not null && !SecretValueShapes.IsPasswordPlaceholder(sample))
        {
            context.ReportUnlessBaselined(Diagnostic.Create(
                RuleCatalog.LiteralKeyMaterial,
                value.Syntax.GetLocation(),
                "'" + local.Local.Name + "' holds only hardcoded literals and completes a connection string's password (Password=)"));
        }
    }

    private static string? RightmostText(IOperation operation)
    {
        operation = SecretOperations.SkipConversions(operation) ?? operation;
        if (SecretOperations.ConstantString(operation) is { } text)
        {
            return text;
        }

        return operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary ? RightmostText(binary.RightOperand) : null;
    }
}
