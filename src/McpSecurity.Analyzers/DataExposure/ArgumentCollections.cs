using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using McpSecurity.Analyzers.Secrets;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.DataExposure;

/// <summary>
/// A tool's arguments as one collection, in any method: the guide's <c>report_error(tool, kwargs, e)</c>
/// wrapper receives them far from the tool, and a dispatcher hands them on as
/// <c>IDictionary&lt;string, object&gt; args</c> or a <c>JsonElement arguments</c>. A parameter is one
/// when its name contains a word of <c>mcpsec.argument_collection_names</c> and its type is a
/// dictionary with string keys, a sequence of string-keyed pairs, or a JSON object. Its values are
/// client data; its keys are not (they are what the guide says to report instead).
/// </summary>
internal sealed class ArgumentCollections
{
    private readonly ImmutableArray<string> names;
    private readonly DataExposureSymbols symbols;

    public ArgumentCollections(ImmutableArray<string> names, DataExposureSymbols symbols)
    {
        this.names = names.Select(n => n.ToLowerInvariant()).ToImmutableArray();
        this.symbols = symbols;
    }

    /// <summary>The hook for the untrusted-input model: the parameter's name when it is an arguments collection.</summary>
    public string? SourceName(IParameterSymbol parameter)
        => parameter.RefKind != RefKind.Out && IsCollectionName(parameter.Name) && IsCollectionType(parameter.Type) ? parameter.Name : null;

    private bool IsCollectionName(string name)
    {
        foreach (var word in SecretNames.SplitWords(name))
        {
            if (names.Contains(word))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A dictionary keyed by string (any implementation of IEnumerable&lt;KeyValuePair&lt;string, T&gt;&gt;) or a JSON object.</summary>
    public bool IsCollectionType(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        if (SecretSymbols.Is(type, symbols.JsonElement) || SecretSymbols.IsOrInherits(type, symbols.JsonNode) || SecretSymbols.Is(type, symbols.JsonDocument))
        {
            return true;
        }

        return StringKeyedPairs(type);
    }

    /// <summary>
    /// Whether a value is only the names of arguments: <c>kv.Key</c> of a key-value pair, <c>p.Name</c>
    /// of a JSON property, <c>.Keys</c>, <c>args.Select(a =&gt; a.Key)</c> and LINQ over those, and locals
    /// only ever assigned such values. The untrusted-input model sees keys as client data (they are, for
    /// a command line); for data exposure they are the safe pattern the guide recommends.
    /// </summary>
    public bool IsKeysOnly(IOperation? operation, ValueTrace trace)
        => IsKeysOnly(operation, trace, new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default), 0);

    private bool IsKeysOnly(IOperation? operation, ValueTrace trace, HashSet<ILocalSymbol> visited, int depth)
    {
        operation = SecretOperations.SkipConversions(operation);
        if (operation is null || depth > 16)
        {
            return false;
        }

        depth++;
        switch (operation)
        {
            case IPropertyReferenceOperation { Property.Name: "Keys" }:
                return true;
            case IPropertyReferenceOperation { Property.Name: "Key", Instance: { } pair }:
                return SecretSymbols.Is(pair.Type, symbols.KeyValuePair);
            case IPropertyReferenceOperation { Property.Name: "Name", Instance: { } property }:
                return SecretSymbols.Is(property.Type, symbols.JsonProperty);
            case ILocalReferenceOperation local when trace.IsPairKey(local.Local):
                return true;
            case ILocalReferenceOperation local:
                var values = trace.AssignmentsOf(local.Local);
                return visited.Add(local.Local) && values.Count > 0 && values.All(v => IsKeysOnly(v, trace, visited, depth));
            case IInvocationOperation { TargetMethod.Name: "Select" } select
                when select.Arguments.Length == 2 && LambdaResult(select.Arguments[1].Value) is { } result:
                return IsKeysOnly(result, trace, visited, depth)
                    || result is IPropertyReferenceOperation { Property.Name: "Key" or "Name", Instance: IParameterReferenceOperation };
            case IInvocationOperation { TargetMethod.Name: "Join", TargetMethod.ContainingType.SpecialType: SpecialType.System_String } join:
                return join.Arguments.Skip(1).All(a => a.Value.ConstantValue.HasValue || IsKeysOnly(a.Value, trace, visited, depth));
            case IInvocationOperation { TargetMethod.ContainingType.Name: "Enumerable" } linq when linq.Arguments.Length > 0:
                // args.Keys.OrderBy(k => k).ToList(): the receiver decides.
                return IsKeysOnly(linq.Arguments[0].Value, trace, visited, depth);
            default:
                return false;
        }
    }

    /// <summary>The value a lambda like <c>a =&gt; a.Key</c> returns.</summary>
    private static IOperation? LambdaResult(IOperation argument)
    {
        while (argument is IDelegateCreationOperation or IConversionOperation)
        {
            argument = argument is IDelegateCreationOperation creation ? creation.Target : ((IConversionOperation)argument).Operand;
        }

        return argument is IAnonymousFunctionOperation { Body.Operations: { Length: 1 } operations }
            && operations[0] is IReturnOperation { ReturnedValue: { } value }
                ? value
                : null;
    }

    private bool StringKeyedPairs(ITypeSymbol type)
    {
        foreach (var candidate in type.AllInterfaces.Add(type as INamedTypeSymbol ?? symbols.EnumerableOfT))
        {
            if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, symbols.EnumerableOfT)
                && candidate.TypeArguments[0] is INamedTypeSymbol element
                && SecretSymbols.Is(element, symbols.KeyValuePair)
                && element.TypeArguments[0].SpecialType == SpecialType.System_String)
            {
                return true;
            }
        }

        return false;
    }
}
