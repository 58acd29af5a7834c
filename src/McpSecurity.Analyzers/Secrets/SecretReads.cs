using System;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.Secrets;

internal enum SecretReadKind
{
    /// <summary><c>Environment.GetEnvironmentVariable(name)</c>.</summary>
    Environment,

    /// <summary><c>config["Jwt:Key"]</c>, <c>GetValue&lt;string&gt;(key)</c>, <c>GetSection(…).Value</c>, <c>GetConnectionString</c>.</summary>
    Configuration,

    /// <summary>Any other value: a local, field, property, parameter or call, known by its name.</summary>
    Member,
}

/// <summary>Where a value that may be missing comes from, and the name or key it is read by.</summary>
internal sealed class SecretRead
{
    public SecretRead(SecretReadKind kind, string? key, string? memberName)
    {
        Kind = kind;
        Key = key;
        MemberName = memberName;
    }

    public SecretReadKind Kind { get; }

    /// <summary>The environment variable name or configuration key, when constant.</summary>
    public string? Key { get; }

    /// <summary>The local, field, property, parameter or method the value is read through.</summary>
    public string? MemberName { get; }

    public bool IsEnvironmentOrConfiguration => Kind is SecretReadKind.Environment or SecretReadKind.Configuration;

    /// <summary>The secret-named key or member this value is read by, or null when neither is secret-named.</summary>
    public string? SecretName(SecretNameOptions names)
    {
        if (Key is not null && SecretNames.IsSecretName(Key, names).IsSecret)
        {
            return Key;
        }

        return MemberName is not null && SecretNames.IsSecretName(MemberName, names).IsSecret ? MemberName : null;
    }
}

/// <summary>Recognises reads from the environment and from Microsoft.Extensions.Configuration.</summary>
internal static class SecretReads
{
    public static SecretRead? Describe(IOperation? operation, SecretSymbols symbols)
        => Describe(operation, symbols, depth: 0);

    private static SecretRead? Describe(IOperation? operation, SecretSymbols symbols, int depth)
    {
        operation = SecretOperations.SkipConversions(operation);
        switch (operation)
        {
            case IInvocationOperation invocation:
                return DescribeCall(invocation, symbols);

            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer
                when symbols.IsConfiguration(indexer.Instance?.Type) && indexer.Arguments.Length == 1:
                return new SecretRead(
                    SecretReadKind.Configuration,
                    ConfigurationKey(indexer.Instance, SecretOperations.ConstantString(indexer.Arguments[0].Value), symbols),
                    null);

            case IPropertyReferenceOperation { Property.Name: "Value" } value
                when SecretSymbols.IsOrInherits(value.Instance?.Type, symbols.ConfigurationSection):
                return new SecretRead(SecretReadKind.Configuration, ConfigurationKey(value.Instance, null, symbols), null);

            case ILocalReferenceOperation local:
                // var fromEnv = GetEnvironmentVariable("SECRET_KEY"); … fromEnv ?? "dev": the local carries the read.
                if (depth == 0 && SecretOperations.LocalInitializer(local) is { } initializer
                    && Describe(initializer, symbols, depth + 1) is { IsEnvironmentOrConfiguration: true } read)
                {
                    return new SecretRead(read.Kind, read.Key, local.Local.Name);
                }

                return new SecretRead(SecretReadKind.Member, null, local.Local.Name);

            case IFieldReferenceOperation field:
                return new SecretRead(SecretReadKind.Member, null, field.Field.Name);
            case IPropertyReferenceOperation property:
                return new SecretRead(SecretReadKind.Member, null, property.Property.Name);
            case IParameterReferenceOperation parameter:
                return new SecretRead(SecretReadKind.Member, null, parameter.Parameter.Name);
            case ICoalesceOperation coalesce:
                return Describe(coalesce.Value, symbols, depth);
            default:
                return null;
        }
    }

    private static SecretRead DescribeCall(IInvocationOperation invocation, SecretSymbols symbols)
    {
        var method = invocation.TargetMethod;
        if (method.Name == "GetEnvironmentVariable" && SecretSymbols.Is(method.ContainingType, symbols.Environment))
        {
            return new SecretRead(SecretReadKind.Environment, ArgumentString(invocation, 0), null);
        }

        if (method.Name == "GetValue" && SecretSymbols.Is(method.ContainingType, symbols.ConfigurationBinder))
        {
            var key = ArgumentNamed(invocation, "key");
            return new SecretRead(
                SecretReadKind.Configuration,
                ConfigurationKey(SecretOperations.Receiver(invocation), SecretOperations.ConstantString(key), symbols),
                null);
        }

        if (method.Name == "GetConnectionString" && SecretSymbols.Is(method.ContainingType, symbols.ConfigurationExtensions))
        {
            var name = SecretOperations.ConstantString(ArgumentNamed(invocation, "name"));
            return new SecretRead(SecretReadKind.Configuration, name is null ? null : "ConnectionStrings:" + name, null);
        }

        return new SecretRead(SecretReadKind.Member, null, method.Name);
    }

    /// <summary>The full key of a configuration read: <c>GetSection("Jwt")["Key"]</c> is "Jwt:Key".</summary>
    public static string? ConfigurationKey(IOperation? instance, string? key, SecretSymbols symbols)
    {
        var prefix = SectionPath(instance, symbols, depth: 0);
        if (key is null)
        {
            return prefix;
        }

        return prefix is null ? key : prefix + ":" + key;
    }

    private static string? SectionPath(IOperation? instance, SecretSymbols symbols, int depth)
    {
        if (depth > 8 || SecretOperations.SkipConversions(instance) is not IInvocationOperation
            { TargetMethod.Name: "GetSection" or "GetRequiredSection" } section)
        {
            return null;
        }

        var name = SecretOperations.ConstantString(ArgumentNamed(section, "key"));
        if (name is null)
        {
            return null;
        }

        var outer = SectionPath(SecretOperations.Receiver(section), symbols, depth + 1);
        return outer is null ? name : outer + ":" + name;
    }

    private static string? ArgumentString(IInvocationOperation invocation, int ordinal)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return SecretOperations.ConstantString(argument.Value);
            }
        }

        return null;
    }

    public static IOperation? ArgumentNamed(IInvocationOperation invocation, string parameterName)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == parameterName)
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether a condition depends on the hosting environment: <c>env.IsDevelopment()</c>,
    /// <c>EnvironmentName</c>, <c>GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")</c>, a comparison with
    /// "production"/"development", or a flag such as <c>isDev</c>.
    /// </summary>
    public static bool IsEnvironmentDependent(IOperation condition, SecretSymbols symbols)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IInvocationOperation { TargetMethod.Name: "IsDevelopment" or "IsProduction" or "IsStaging" or "IsEnvironment" }:
                case IPropertyReferenceOperation { Property.Name: "EnvironmentName" or "IsAttached" }:
                    return true;
                case IInvocationOperation invocation when DescribeCall(invocation, symbols) is { Kind: SecretReadKind.Environment, Key: { } key }
                    && key.IndexOf("ENV", StringComparison.OrdinalIgnoreCase) >= 0:
                    return true;
                case ILiteralOperation { ConstantValue: { HasValue: true, Value: string text } } when IsEnvironmentName(text):
                    return true;
                case ILocalReferenceOperation local when IsEnvironmentFlag(local.Local.Name):
                case IFieldReferenceOperation field when IsEnvironmentFlag(field.Field.Name):
                case IPropertyReferenceOperation property when IsEnvironmentFlag(property.Property.Name):
                case IParameterReferenceOperation parameter when IsEnvironmentFlag(parameter.Parameter.Name):
                    return true;
            }
        }

        return false;
    }

    private static bool IsEnvironmentName(string text)
        => text.Trim().ToLowerInvariant() is "production" or "development" or "staging" or "dev" or "prod" or "local" or "debug" or "test";

    private static bool IsEnvironmentFlag(string name)
    {
        foreach (var word in SecretNames.SplitWords(name))
        {
            if (word is "env" or "environment" or "development" or "production" or "dev" or "prod" or "debug" or "staging")
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Small operation helpers the secret rules share.</summary>
internal static class SecretOperations
{
    public static IOperation? SkipConversions(IOperation? operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    public static string? ConstantString(IOperation? operation)
        => operation?.ConstantValue is { HasValue: true, Value: string text } ? text : null;

    /// <summary>The object a call is made on: the instance, or the <c>this</c> argument of an extension method.</summary>
    public static IOperation? Receiver(IInvocationOperation invocation)
    {
        if (invocation.Instance is not null)
        {
            return invocation.Instance;
        }

        return invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0
            ? invocation.Arguments[0].Value
            : null;
    }

    /// <summary>The value a local was declared with, in the same method.</summary>
    public static IOperation? LocalInitializer(ILocalReferenceOperation reference)
    {
        var local = reference.Local;
        if (local.DeclaringSyntaxReferences.Length != 1 || reference.SemanticModel is not { } model)
        {
            return null;
        }

        var syntax = local.DeclaringSyntaxReferences[0].GetSyntax();
        if (syntax.SyntaxTree != model.SyntaxTree || syntax is not VariableDeclaratorSyntax { Initializer: { } initializer })
        {
            return null;
        }

        return model.GetOperation(initializer.Value);
    }

    /// <summary>
    /// Whether two operations read the same value, by their syntax: the <c>s</c> of
    /// <c>string.IsNullOrEmpty(s) ? "dev" : s</c>, or <c>config["Jwt:Key"]</c> written twice.
    /// </summary>
    public static bool SameValue(IOperation? left, IOperation? right)
    {
        left = SkipConversions(left);
        right = SkipConversions(right);
        if (left is null || right is null)
        {
            return false;
        }

        return SyntaxFactory.AreEquivalent(StripSyntax(left.Syntax), StripSyntax(right.Syntax));
    }

    private static SyntaxNode StripSyntax(SyntaxNode node)
    {
        while (true)
        {
            switch (node)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    node = parenthesized.Expression;
                    continue;
                case PostfixUnaryExpressionSyntax postfix when postfix.IsKind(SyntaxKind.SuppressNullableWarningExpression):
                    node = postfix.Operand;
                    continue;
                default:
                    return node;
            }
        }
    }

    /// <summary>The root of the operation tree <paramref name="operation"/> belongs to (a method body, an initializer).</summary>
    public static IOperation Root(IOperation operation)
    {
        while (operation.Parent is { } parent)
        {
            operation = parent;
        }

        return operation;
    }
}
