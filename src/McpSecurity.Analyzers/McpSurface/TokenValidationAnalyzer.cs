using System;
using System.Collections.Immutable;
using McpSecurity.Analyzers.Baseline;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// MCPSEC602: <c>TokenValidationParameters</c> weakened — a validation flag assigned the constant
/// <c>false</c> (object initializers, later assignments, <c>options.TokenValidationParameters.X = false</c>
/// in an <c>AddJwtBearer</c>/<c>Configure&lt;JwtBearerOptions&gt;</c> lambda: all are assignments to the
/// same properties), a validator delegate that accepts every token without looking at it, or
/// <c>"none"</c> among <c>ValidAlgorithms</c>. Test projects are skipped: a fixture that turns lifetime
/// validation off is deliberate and never serves a request.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TokenValidationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(RuleCatalog.TokenValidationWeakened);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var parameters = start.Compilation.GetTypeByMetadataName("Microsoft.IdentityModel.Tokens.TokenValidationParameters");
            if (parameters is null || TestCompilations.IsTestProject(start.Compilation))
            {
                return;
            }

            var securityToken = start.Compilation.GetTypeByMetadataName("Microsoft.IdentityModel.Tokens.SecurityToken");
            start.RegisterOperationAction(
                operation => AnalyzeAssignment(operation, parameters, securityToken),
                OperationKind.SimpleAssignment);
        });
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context, INamedTypeSymbol parameters, INamedTypeSymbol? securityToken)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: { } property } target
            || !property.ContainingType.DerivesFrom(parameters))
        {
            return;
        }

        if (WeakenedFlagConsequence(property.Name) is { } consequence)
        {
            if (assignment.Value.ConstantValue is { HasValue: true, Value: false })
            {
                context.ReportUnlessBaselined(Diagnostic.Create(
                    RuleCatalog.TokenValidationWeakened,
                    assignment.Value.Syntax.GetLocation(),
                    "'" + property.Name + "' is set to false, so " + consequence));
            }

            return;
        }

        if (property.Name == "ValidAlgorithms")
        {
            if (NoneAlgorithm(assignment.Value) is { } none)
            {
                context.ReportUnlessBaselined(Diagnostic.Create(
                    RuleCatalog.TokenValidationWeakened,
                    none.Syntax.GetLocation(),
                    "'none' among ValidAlgorithms accepts tokens that carry no signature"));
            }

            return;
        }

        if (property.Type.TypeKind == TypeKind.Delegate
            && property.Name.IndexOf("Validator", StringComparison.Ordinal) >= 0
            && AcceptsEverything(assignment.Value, securityToken))
        {
            context.ReportUnlessBaselined(Diagnostic.Create(
                RuleCatalog.TokenValidationWeakened,
                target.Syntax.GetLocation(),
                "'" + property.Name + "' accepts every token without validating it"));
        }
    }

    /// <summary>What a caller gets past when the flag is false; null for properties that are not such a flag.</summary>
    internal static string? WeakenedFlagConsequence(string propertyName) => propertyName switch
    {
        "ValidateIssuerSigningKey" => "the key that signed the token is not validated",
        "ValidateLifetime" => "expired and not-yet-valid tokens are accepted",
        "ValidateAudience" => "tokens issued for any other service are accepted",
        "ValidateIssuer" => "tokens from any issuer are accepted",
        "RequireSignedTokens" => "tokens without a signature are accepted",
        "RequireExpirationTime" => "tokens that never expire are accepted",
        _ => null,
    };

    /// <summary>A constant <c>"none"</c> (any case) in the value given to <c>ValidAlgorithms</c>: array, list, collection expression.</summary>
    private static IOperation? NoneAlgorithm(IOperation value)
    {
        foreach (var operation in value.DescendantsAndSelf())
        {
            if (operation is ILiteralOperation { ConstantValue: { HasValue: true, Value: string text } }
                && string.Equals(text, "none", StringComparison.OrdinalIgnoreCase))
            {
                return operation;
            }
        }

        return null;
    }

    /// <summary>
    /// A lambda that calls nothing and throws nothing, and whose every return accepts: <c>true</c>
    /// (audience, lifetime, key validators), a new security token made from the raw text
    /// (<c>(token, p) =&gt; new JsonWebToken(token)</c>, the signature validator that skips the
    /// signature), or its first parameter unchanged (<c>(issuer, token, p) =&gt; issuer</c>). Any call
    /// in the body may be the validation, so it is not reported; method groups are not followed.
    /// </summary>
    private static bool AcceptsEverything(IOperation value, INamedTypeSymbol? securityToken)
    {
        while (value is IConversionOperation or IDelegateCreationOperation)
        {
            value = value is IConversionOperation conversion ? conversion.Operand : ((IDelegateCreationOperation)value).Target;
        }

        if (value is not IAnonymousFunctionOperation { Symbol: { } lambda, Body: { } body })
        {
            return false;
        }

        var returns = 0;
        foreach (var operation in body.Descendants())
        {
            switch (operation)
            {
                case IInvocationOperation or IThrowOperation or IAnonymousFunctionOperation:
                    return false;
                case IReturnOperation { ReturnedValue: { } returned }:
                    if (!Accepts(returned, lambda, securityToken))
                    {
                        return false;
                    }

                    returns++;
                    break;
            }
        }

        return returns > 0;
    }

    private static bool Accepts(IOperation returned, IMethodSymbol lambda, INamedTypeSymbol? securityToken)
    {
        while (returned is IConversionOperation conversion)
        {
            returned = conversion.Operand;
        }

        return returned switch
        {
            { ConstantValue: { HasValue: true, Value: true } } => true,
            IObjectCreationOperation creation => creation.Type.DerivesFrom(securityToken),
            IParameterReferenceOperation parameter => lambda.Parameters.Length > 0
                && SymbolEqualityComparer.Default.Equals(parameter.Parameter, lambda.Parameters[0])
                && parameter.Parameter.Type.SpecialType == SpecialType.System_String,
            _ => false,
        };
    }
}
