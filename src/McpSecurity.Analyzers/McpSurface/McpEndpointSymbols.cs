using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// The ASP.NET Core and MCP SDK types the MCP-endpoint rules compare symbols with, resolved once per
/// compilation. Null from <see cref="TryCreate"/> when the compilation cannot map an MCP endpoint over
/// HTTP (no ModelContextProtocol.AspNetCore): then nothing these rules report can exist.
/// </summary>
internal sealed class McpEndpointSymbols
{
    public const string McpEndpointExtensionsName = "Microsoft.AspNetCore.Builder.McpEndpointRouteBuilderExtensions";

    private McpEndpointSymbols(Compilation compilation, INamedTypeSymbol mcpEndpointExtensions)
    {
        McpEndpointExtensions = mcpEndpointExtensions;
        AuthorizationConventions = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Builder.AuthorizationEndpointConventionBuilderExtensions");
        EndpointConventionBuilder = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Builder.IEndpointConventionBuilder");
        AuthorizeData = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Authorization.IAuthorizeData");
        AllowAnonymous = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Authorization.IAllowAnonymous");
        AuthorizationOptions = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Authorization.AuthorizationOptions");
        AuthorizationBuilder = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Authorization.AuthorizationBuilder");
    }

    /// <summary><c>MapMcp(this IEndpointRouteBuilder, string pattern)</c>'s declaring class.</summary>
    public INamedTypeSymbol McpEndpointExtensions { get; }

    /// <summary><c>RequireAuthorization(...)</c> and <c>AllowAnonymous()</c>.</summary>
    public INamedTypeSymbol? AuthorizationConventions { get; }

    public INamedTypeSymbol? EndpointConventionBuilder { get; }

    /// <summary>Implemented by <c>[Authorize]</c>: as endpoint metadata it requires authorization.</summary>
    public INamedTypeSymbol? AuthorizeData { get; }

    /// <summary>Implemented by <c>[AllowAnonymous]</c>: as endpoint metadata it switches authorization off.</summary>
    public INamedTypeSymbol? AllowAnonymous { get; }

    public INamedTypeSymbol? AuthorizationOptions { get; }

    public INamedTypeSymbol? AuthorizationBuilder { get; }

    /// <summary>
    /// The symbols, or null when the compilation cannot map an MCP endpoint or is a test project: a test
    /// host (in-memory Kestrel, WebApplicationFactory) is not a deployed server, and the SDK's own tests map
    /// dozens of endpoints without authorization on purpose.
    /// </summary>
    public static McpEndpointSymbols? TryCreate(Compilation compilation)
        => compilation.GetTypeByMetadataName(McpEndpointExtensionsName) is { } extensions && !TestCompilations.IsTestProject(compilation)
            ? new McpEndpointSymbols(compilation, extensions)
            : null;

    public bool IsMapMcp(IMethodSymbol method)
        => method.Name == "MapMcp" && SymbolEqualityComparer.Default.Equals(method.ContainingType, McpEndpointExtensions);

    /// <summary>Whether <paramref name="type"/> is an endpoint convention builder (or a type parameter constrained to one).</summary>
    public bool IsConventionBuilder(ITypeSymbol? type)
    {
        if (type is null || EndpointConventionBuilder is null)
        {
            return false;
        }

        if (type is ITypeParameterSymbol parameter)
        {
            foreach (var constraint in parameter.ConstraintTypes)
            {
                if (IsConventionBuilder(constraint))
                {
                    return true;
                }
            }

            return false;
        }

        return Implements(type, EndpointConventionBuilder);
    }

    public static bool Implements(ITypeSymbol? type, INamedTypeSymbol? contract)
    {
        if (type is null || contract is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, contract))
        {
            return true;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, contract))
            {
                return true;
            }
        }

        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, contract))
            {
                return true;
            }
        }

        return false;
    }
}
