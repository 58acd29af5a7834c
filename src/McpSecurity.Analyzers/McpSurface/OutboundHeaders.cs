using System;
using McpSecurity.Analyzers.Secrets;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>A value written into the headers of a request this server sends, and how a message names the header.</summary>
internal sealed class OutboundHeader
{
    public OutboundHeader(IOperation value, string description)
    {
        Value = value;
        Description = description;
    }

    public IOperation Value { get; }

    public string Description { get; }
}

/// <summary>
/// The headers of requests this server sends (sinks of MCPSEC607): <c>HttpRequestMessage.Headers</c> and
/// <c>HttpClient.DefaultRequestHeaders</c> (<c>Authorization = …</c>, <c>Add(name, value)</c>,
/// <c>TryAddWithoutValidation(name, value)</c>, under any header name: a caller's token is as usable in
/// <c>X-Api-Key</c>), and <c>WebHeaderCollection</c> (<c>headers[name] = …</c>, <c>Add</c>, <c>Set</c>).
/// </summary>
internal sealed class OutboundHeaders
{
    private readonly INamedTypeSymbol? httpHeaders;
    private readonly INamedTypeSymbol? webHeaders;

    private OutboundHeaders(INamedTypeSymbol? httpHeaders, INamedTypeSymbol? webHeaders)
    {
        this.httpHeaders = httpHeaders;
        this.webHeaders = webHeaders;
    }

    public static OutboundHeaders Create(Compilation compilation)
        => new(
            compilation.GetTypeByMetadataName("System.Net.Http.Headers.HttpHeaders"),
            compilation.GetTypeByMetadataName("System.Net.WebHeaderCollection"));

    public OutboundHeader? Find(IOperation operation)
    {
        switch (operation)
        {
            // request.Headers.Authorization = …, client.DefaultRequestHeaders.Authorization = …, Headers = { Authorization = … }
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: false, Property.Name: "Authorization" or "ProxyAuthorization" } target } assignment
                when target.Property.ContainingType.DerivesFrom(httpHeaders):
                return new OutboundHeader(assignment.Value, "the " + HeaderName(target.Property.Name) + " header of an outbound request");

            // webRequest.Headers["Authorization"] = …
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer } assignment
                when indexer.Property.ContainingType.DerivesFrom(webHeaders):
                return new OutboundHeader(assignment.Value, Named(indexer.Arguments[0].Value));

            case IInvocationOperation { Arguments.Length: 2 } invocation
                when invocation.TargetMethod.Name is "Add" or "TryAddWithoutValidation" or "Set"
                    && invocation.TargetMethod.ContainingType is { } containing
                    && (containing.DerivesFrom(httpHeaders) || containing.DerivesFrom(webHeaders))
                    && invocation.Arguments[0].Value.Type?.SpecialType == SpecialType.System_String:
                return new OutboundHeader(invocation.Arguments[1].Value, Named(invocation.Arguments[0].Value));

            default:
                return null;
        }
    }

    private static string Named(IOperation name)
        => name.ConstantValue.Value is string text
            ? "the header '" + text + "' of an outbound request"
            : SecretOperations.SkipConversions(name) is IFieldReferenceOperation { Field.ContainingType.Name: "HeaderNames" } field
                ? "the header '" + field.Field.Name + "' of an outbound request"
                : "a header of an outbound request";

    private static string HeaderName(string propertyName)
        => string.Equals(propertyName, "ProxyAuthorization", StringComparison.Ordinal) ? "Proxy-Authorization" : "Authorization";
}
