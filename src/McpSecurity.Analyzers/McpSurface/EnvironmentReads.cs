using System;
using McpSecurity.Analyzers.DataExposure;
using McpSecurity.Analyzers.Secrets;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// The classifier of <see cref="ValueTrace"/> for MCPSEC608: reads of the process environment or the
/// application's configuration that a tool should not hand out. The whole of either
/// (<c>Environment.GetEnvironmentVariables()</c>, <c>configuration.AsEnumerable()</c>,
/// <c>GetChildren()</c>, <c>GetDebugView()</c>), or one value whose name comes from MCP input
/// (<c>GetEnvironmentVariable(name)</c>, <c>configuration[key]</c>, <c>GetValue&lt;T&gt;(key)</c>,
/// <c>GetSection(key).Value</c>). A name the code chooses is not reported here: a secret-named one is
/// MCPSEC504's, and a tool that returns one named, non-secret value (<c>"DOTNET_ENVIRONMENT"</c>, an entry
/// of a fixed list) does so by a decision that stands in the code for a reviewer to see. Elements read from such a collection
/// (<c>foreach (DictionaryEntry e in …) … e.Value</c>) carry it too.
/// </summary>
internal sealed class EnvironmentReads
{
    private const int MaxNesting = 4;

    private readonly SecretSymbols symbols;
    private readonly Func<IOperation, string?> untrustedSource;
    private ValueTrace? trace;
    private int nesting;

    /// <param name="untrustedSource">The MCP input a name derives from; null when it does not.</param>
    public EnvironmentReads(SecretSymbols symbols, Func<IOperation, string?> untrustedSource)
    {
        this.symbols = symbols;
        this.untrustedSource = untrustedSource;
    }

    /// <summary>The trace of the body, used to follow an element read from a collection back to the collection.</summary>
    public void Use(ValueTrace bodyTrace) => trace = bodyTrace;

    public Origin? Classify(IOperation operation)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                return Invocation(invocation);

            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer
                when symbols.IsConfiguration(indexer.Instance?.Type) && indexer.Arguments.Length == 1:
                return Keyed(indexer, indexer.Arguments[0].Value, "the configuration value");

            case IPropertyReferenceOperation { Property.Name: "Value", Instance: IInvocationOperation { TargetMethod.Name: "GetSection" or "GetRequiredSection" } section } value
                when SecretSymbols.IsOrInherits(value.Property.ContainingType, symbols.ConfigurationSection) && section.Arguments.Length > 0:
                return Keyed(value, section.Arguments[section.Arguments.Length - 1].Value, "the configuration value");

            case IPropertyReferenceOperation { Property.Name: "Value" or "Values", Property.IsIndexer: false, Instance: { } collection }:
                // foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables()) … entry.Value;
                // Environment.GetEnvironmentVariables().Values. The names alone (Key, Keys) are not the values.
                return FromCollection(collection);

            default:
                return null;
        }
    }

    private Origin? Invocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var containing = method.ContainingType;
        if (SecretSymbols.Is(containing, symbols.Environment))
        {
            return method.Name switch
            {
                "GetEnvironmentVariables" => new Origin(OriginKind.Secret, "the whole process environment", invocation),
                "GetEnvironmentVariable" when invocation.Arguments.Length > 0 => Keyed(invocation, invocation.Arguments[0].Value, "the environment variable"),
                _ => null,
            };
        }

        switch (method.Name)
        {
            case "AsEnumerable" when SecretSymbols.Is(containing, symbols.ConfigurationExtensions):
                return new Origin(OriginKind.Secret, "every configuration value", invocation);
            case "GetChildren" when SecretSymbols.IsOrInherits(SecretOperations.Receiver(invocation)?.Type, symbols.Configuration):
                return new Origin(OriginKind.Secret, "the configuration's sections", invocation);
            case "GetDebugView":
                return containing?.Name == "ConfigurationRootExtensions"
                    ? new Origin(OriginKind.Secret, "every configuration value and its provider", invocation)
                    : null;
            case "GetValue" when SecretSymbols.Is(containing, symbols.ConfigurationBinder):
                return SecretReads.ArgumentNamed(invocation, "key") is { } key ? Keyed(invocation, key, "the configuration value") : null;
            default:
                return null;
        }
    }

    /// <summary>A read by a name the client chooses: whoever chooses the name decides what leaves the server.</summary>
    private Origin? Keyed(IOperation read, IOperation name, string what)
        => !name.ConstantValue.HasValue && untrustedSource(name) is { } source
            ? new Origin(OriginKind.Secret, what + " named by tool input '" + source + "'", read)
            : null;

    private Origin? FromCollection(IOperation element)
    {
        if (trace is null || nesting >= MaxNesting)
        {
            return null;
        }

        nesting++;
        try
        {
            return trace.Find(element, Classify);
        }
        finally
        {
            nesting--;
        }
    }
}
