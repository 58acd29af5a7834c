using System;
using System.Linq;
using McpSecurity.Analyzers.DataExposure;
using McpSecurity.Analyzers.Secrets;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// The classifier of <see cref="ValueTrace"/> for MCPSEC607: the credentials a caller sent to this
/// server. The request's <c>Authorization</c> (or <c>Proxy-Authorization</c>) header read as
/// <c>Headers.Authorization</c>, <c>Headers["Authorization"]</c>, <c>Headers[HeaderNames.Authorization]</c>
/// or <c>Headers.TryGetValue("Authorization", out …)</c> on ASP.NET Core's <c>IHeaderDictionary</c>
/// (through <c>HttpContext</c>, <c>IHttpContextAccessor</c> or a local), and the tokens the
/// authentication handler saved from the request (<c>HttpContext.GetTokenAsync("access_token")</c>).
/// Not sources: response headers, claims of the <c>ClaimsPrincipal</c> (a claim is not the token),
/// and tokens the server obtained itself (<c>AcquireTokenOnBehalfOf</c>, <c>GetAccessTokenAsync</c>):
/// the trace ends at calls that do not copy text, so an exchanged token never traces back to the header.
/// The MCP SDK 2.3.1 gives tools no raw token (its request context carries a <c>ClaimsPrincipal</c>).
/// </summary>
internal sealed class IncomingCredentials
{
    private IncomingCredentials(INamedTypeSymbol? headerDictionary, INamedTypeSymbol? httpResponse, INamedTypeSymbol? tokenExtensions)
    {
        HeaderDictionary = headerDictionary;
        HttpResponse = httpResponse;
        TokenExtensions = tokenExtensions;
    }

    /// <summary><c>Microsoft.AspNetCore.Http.IHeaderDictionary</c>: the headers of a request (or response) this server received.</summary>
    public INamedTypeSymbol? HeaderDictionary { get; }

    public INamedTypeSymbol? HttpResponse { get; }

    /// <summary><c>Microsoft.AspNetCore.Authentication.AuthenticationTokenExtensions</c> (<c>GetTokenAsync</c>).</summary>
    public INamedTypeSymbol? TokenExtensions { get; }

    /// <summary>Whether this compilation can read an incoming credential at all (it uses ASP.NET Core's HTTP abstractions).</summary>
    public bool CanExist => HeaderDictionary is not null || TokenExtensions is not null;

    public static IncomingCredentials Create(Compilation compilation)
        => new(
            compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.IHeaderDictionary"),
            compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.HttpResponse"),
            compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Authentication.AuthenticationTokenExtensions"));

    /// <summary>Whether <paramref name="operation"/> may read an incoming credential: the cheap test that decides whether a body is traced at all.</summary>
    public bool MayRead(IOperation operation)
        => operation switch
        {
            IPropertyReferenceOperation property => IsHeaders(property.Property.ContainingType) || IsHeaders(property.Type),
            IInvocationOperation invocation => IsTokenRead(invocation.TargetMethod)
                || (invocation.Instance is not null && IsHeaders(invocation.Instance.Type)),
            _ => false,
        };

    public Origin? Classify(IOperation operation)
    {
        switch (operation)
        {
            case IPropertyReferenceOperation { Property.IsIndexer: false, Property.Name: "Authorization" or "ProxyAuthorization" } property
                when IsHeaders(property.Property.ContainingType) && !IsResponseHeaders(property.Instance):
                return new Origin(OriginKind.Secret, "the incoming " + HeaderName(property.Property.Name) + " header", operation);

            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer
                when IsHeaders(indexer.Property.ContainingType) && !IsResponseHeaders(indexer.Instance)
                    && CredentialHeader(indexer.Arguments[0].Value) is { } name:
                return new Origin(OriginKind.Secret, "the incoming " + name + " header", operation);

            // Headers.TryGetValue("Authorization", out var value): the trace classifies the call for the local it writes.
            case IInvocationOperation { TargetMethod.Name: "TryGetValue" or "GetValueOrDefault", Arguments.Length: >= 2 } read
                when read.Instance is { } headers && IsHeaders(headers.Type) && !IsResponseHeaders(headers)
                    && CredentialHeader(read.Arguments[0].Value) is { } readName:
                return new Origin(OriginKind.Secret, "the incoming " + readName + " header", operation);

            // foreach (var header in Request.Headers) … header.Value: every header the caller sent, Authorization among them.
            case IPropertyReferenceOperation { Property.Name: "Value", Instance: ILocalReferenceOperation pair } value
                when value.Property.ContainingType is { Name: "KeyValuePair" } && EnumeratesRequestHeaders(value, pair.Local):
                return new Origin(OriginKind.Secret, "every incoming header (the Authorization header among them)", operation);

            case IInvocationOperation invocation when IsTokenRead(invocation.TargetMethod):
                var tokenName = invocation.Arguments.Length > 0 && invocation.Arguments[invocation.Arguments.Length - 1].Value.ConstantValue.Value is string text
                    ? "'" + text + "'"
                    : "a token";
                return new Origin(OriginKind.Secret, "the caller's " + tokenName + " (GetTokenAsync)", operation);

            default:
                return null;
        }
    }

    /// <summary>
    /// Whether <paramref name="local"/> is the variable of a loop over the request's headers that does
    /// not mention the Authorization header (a loop that does is taken to skip or redact it).
    /// </summary>
    private bool EnumeratesRequestHeaders(IOperation use, ILocalSymbol local)
    {
        for (var current = use.Parent; current is not null; current = current.Parent)
        {
            if (current is IForEachLoopOperation loop && loop.Locals.Contains(local, SymbolEqualityComparer.Default))
            {
                var collection = SecretOperations.SkipConversions(loop.Collection);
                return collection is not null && IsHeaders(collection.Type) && !IsResponseHeaders(collection)
                    && !loop.Body.DescendantsAndSelf().Any(part => part.ConstantValue.Value is string text
                        && text.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                    && !loop.Body.DescendantsAndSelf().Any(part => part is IFieldReferenceOperation { Field: { Name: "Authorization", ContainingType.Name: "HeaderNames" } });
            }
        }

        return false;
    }

    private bool IsTokenRead(IMethodSymbol method)
        => method.Name == "GetTokenAsync" && TokenExtensions is not null
            && SymbolEqualityComparer.Default.Equals(method.ContainingType, TokenExtensions);

    private bool IsHeaders(ITypeSymbol? type)
        => HeaderDictionary is not null && type is not null
            && (SymbolEqualityComparer.Default.Equals(type, HeaderDictionary) || type.AllInterfaces.Contains(HeaderDictionary, SymbolEqualityComparer.Default));

    /// <summary><c>context.Response.Headers</c>: what this server sends back, not what the caller sent.</summary>
    private bool IsResponseHeaders(IOperation? instance)
        => SecretOperations.SkipConversions(instance) is IPropertyReferenceOperation { Property.Name: "Headers" } headers
            && headers.Property.ContainingType.DerivesFrom(HttpResponse);

    /// <summary>"Authorization" (any case), or <c>HeaderNames.Authorization</c>, which is a static readonly field, not a constant.</summary>
    private static string? CredentialHeader(IOperation key)
    {
        if (key.ConstantValue.Value is string text)
        {
            return text.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || text.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
                ? text
                : null;
        }

        return SecretOperations.SkipConversions(key) is IFieldReferenceOperation { Field: { Name: "Authorization" or "ProxyAuthorization", ContainingType.Name: "HeaderNames" } field }
            ? HeaderName(field.Name)
            : null;
    }

    private static string HeaderName(string propertyName) => propertyName == "ProxyAuthorization" ? "Proxy-Authorization" : "Authorization";
}
