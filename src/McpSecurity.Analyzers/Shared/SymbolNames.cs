using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers.Shared;

internal static class SymbolNames
{
    /// <summary>
    /// The name a developer knows the code by: the method, local function, property or type that
    /// encloses <paramref name="symbol"/>, skipping lambdas.
    /// </summary>
    public static string MemberName(ISymbol? symbol)
    {
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol switch
        {
            null => "<unknown>",
            IMethodSymbol { Name: "<Main>$" } => "top-level statements",
            IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } method => method.ContainingType.Name,
            IMethodSymbol { AssociatedSymbol: { } property } => property.Name,
            _ => symbol.Name,
        };
    }

    /// <summary>True when <paramref name="type"/> is <paramref name="baseType"/> or derives from it.</summary>
    public static bool DerivesFrom(this ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }
}
