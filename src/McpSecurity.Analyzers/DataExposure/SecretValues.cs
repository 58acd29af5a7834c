using System;
using System.Linq;
using McpSecurity.Analyzers.Secrets;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.DataExposure;

/// <summary>
/// The classifier of <see cref="ValueTrace"/> for MCPSEC504: values that are secrets whatever flows
/// into them. A local, parameter, field, property or method that is secret-named as in MCPSEC101
/// (the same word lists) and holds text; a read from the environment, configuration or a dictionary
/// under a secret-named key (<c>GetEnvironmentVariable("SECRET_KEY")</c>, <c>config["Jwt:Key"]</c>,
/// <c>args["password"]</c>); the <c>Authorization</c> and <c>Cookie</c> headers; connection strings,
/// which usually carry a password; and text built with <c>Password=</c> or <c>Pwd=</c> in it.
/// </summary>
internal sealed class SecretValues
{
    private static readonly string[] CredentialHeaders = { "authorization", "proxy-authorization", "cookie", "set-cookie" };

    private readonly DataExposureSymbols symbols;
    private readonly SecretNameOptions names;

    public SecretValues(DataExposureSymbols symbols, SecretNameOptions names)
    {
        this.symbols = symbols;
        this.names = names;
    }

    public Origin? Classify(IOperation operation)
    {
        switch (operation)
        {
            case ILocalReferenceOperation local:
                return Named(local.Local.Name, local.Local.Type, null, operation);
            case IParameterReferenceOperation parameter:
                return Named(parameter.Parameter.Name, parameter.Parameter.Type, null, operation);
            case IFieldReferenceOperation field:
                return Named(field.Field.Name, field.Field.Type, field.Field.ContainingType, operation);

            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when indexer.Arguments.Length == 1:
                return Keyed(indexer, ConstantString(indexer.Arguments[0].Value), operation);

            case IPropertyReferenceOperation property:
                return Property(property);

            case IInvocationOperation invocation:
                return Invocation(invocation);

            case IInterpolatedStringOperation or IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } when CarriesPassword(operation):
                return new Origin(OriginKind.Secret, "a connection string with a password", operation);

            default:
                return null;
        }
    }

    private Origin? Named(string name, ITypeSymbol type, INamedTypeSymbol? containingType, IOperation operation)
    {
        if (!HoldsText(type))
        {
            return null;
        }

        if (SecretNames.IsSecretName(name, names).IsSecret)
        {
            return new Origin(OriginKind.Secret, "the secret-named value '" + name + "'", operation);
        }

        // JwtSettings.Key: "Key" qualified by its settings type, as MCPSEC101 reads it.
        return containingType is not null && SecretLiteralFlow.QualifiedByType(name, containingType.Name, names) is not null
            ? new Origin(OriginKind.Secret, "the secret-named value '" + containingType.Name + "." + name + "'", operation)
            : null;
    }

    private Origin? Property(IPropertyReferenceOperation property)
    {
        var name = property.Property.Name;
        var containing = property.Property.ContainingType;
        if (name is "Authorization" or "ProxyAuthorization" or "Cookie" && containing?.Name.IndexOf("Header", StringComparison.Ordinal) >= 0)
        {
            return new Origin(OriginKind.Secret, "the " + name + " header", property);
        }

        if (name == "Parameter" && SecretSymbols.Is(containing, symbols.Secrets.AuthenticationHeaderValue))
        {
            return new Origin(OriginKind.Secret, "the credentials of an authentication header", property);
        }

        if (name == "ConnectionString")
        {
            return new Origin(OriginKind.Secret, "a connection string, which usually carries a password", property);
        }

        if (name == "Value" && SecretReads.Describe(property, symbols.Secrets) is { IsEnvironmentOrConfiguration: true } read
            && read.SecretName(names) is { } key)
        {
            return new Origin(OriginKind.Secret, "the configuration value '" + key + "'", property);
        }

        return Named(name, property.Property.Type, containing, property);
    }

    private Origin? Keyed(IPropertyReferenceOperation indexer, string? key, IOperation operation)
    {
        if (SecretReads.Describe(indexer, symbols.Secrets) is { Kind: SecretReadKind.Configuration } read)
        {
            return read.SecretName(names) is { } configurationKey
                ? new Origin(OriginKind.Secret, "the configuration value '" + configurationKey + "'", operation)
                : null;
        }

        return SecretKey(key) is { } description ? new Origin(OriginKind.Secret, description, operation) : null;
    }

    private Origin? Invocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.Name is "GetEnvironmentVariable" or "GetValue" or "GetConnectionString"
            && SecretReads.Describe(invocation, symbols.Secrets) is { IsEnvironmentOrConfiguration: true } read)
        {
            if (method.Name == "GetConnectionString")
            {
                return new Origin(OriginKind.Secret, "a connection string, which usually carries a password", invocation);
            }

            return read.SecretName(names) is { } key
                ? new Origin(OriginKind.Secret, (read.Kind == SecretReadKind.Environment ? "the environment variable '" : "the configuration value '") + key + "'", invocation)
                : null;
        }

        // headers.TryGetValue("Authorization", out var value), headers.GetValues("X-Api-Key"), args.GetProperty("password").
        if (method.Name is "TryGetValue" or "GetValues" or "TryGetValues" or "GetProperty" or "TryGetProperty" or "GetValueOrDefault"
            && invocation.Arguments.FirstOrDefault(a => a.Parameter?.Type.SpecialType == SpecialType.System_String) is { } keyArgument
            && SecretKey(ConstantString(keyArgument.Value)) is { } description)
        {
            return new Origin(OriginKind.Secret, description, invocation);
        }

        // GetApiKey(), CreateToken(): a method named as a secret that returns text.
        return Named(method.Name, method.ReturnType, null, invocation);
    }

    private string? SecretKey(string? key)
    {
        if (key is null)
        {
            return null;
        }

        if (CredentialHeaders.Contains(key.ToLowerInvariant()))
        {
            return "the " + key + " header";
        }

        return SecretNames.IsSecretName(key, names).IsSecret ? "the value under the secret-named key '" + key + "'" : null;
    }

    /// <summary>Text, not a typed object: a <c>SecurityToken</c> or <c>SecureString</c> prints its type name, a <c>CancellationToken</c> nothing secret.</summary>
    private bool HoldsText(ITypeSymbol? type)
    {
        switch (type)
        {
            case null:
                return false;
            case IArrayTypeSymbol array:
                return array.ElementType.SpecialType is SpecialType.System_Char or SpecialType.System_Byte;
            case INamedTypeSymbol { SpecialType: SpecialType.System_String }:
                return true;
            case INamedTypeSymbol named when SecretSymbols.Is(named, symbols.StringBuilder):
                return true;
            case INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
                when generic.Name is "ReadOnlySpan" or "Span" or "ReadOnlyMemory" or "Memory"
                    && generic.TypeArguments[0].SpecialType is SpecialType.System_Char or SpecialType.System_Byte:
                return true;
            case INamedTypeSymbol { Name: "StringValues" }:
                return true;
            default:
                return false;
        }
    }

    /// <summary>"Server=db;User Id=app;Password=" + password: text with a password field and a value that is not constant.</summary>
    public static bool CarriesPassword(IOperation operation)
    {
        var hasHole = false;
        var hasPasswordField = false;
        foreach (var part in operation.DescendantsAndSelf())
        {
            switch (part)
            {
                case ILiteralOperation when HasPasswordField(part.ConstantValue.Value as string):
                    // Also the text parts of an interpolated string.
                    hasPasswordField = true;
                    break;
                case IInterpolationOperation { Expression.ConstantValue.HasValue: false }:
                case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation or IInvocationOperation
                    when !part.ConstantValue.HasValue:
                    hasHole = true;
                    break;
            }
        }

        return hasHole && hasPasswordField;
    }

    private static bool HasPasswordField(string? text)
        => text is not null
            && (text.IndexOf("password=", StringComparison.OrdinalIgnoreCase) >= 0 || text.IndexOf("pwd=", StringComparison.OrdinalIgnoreCase) >= 0);

    private static string? ConstantString(IOperation? operation)
        => operation?.ConstantValue is { HasValue: true, Value: string text } ? text : null;
}
