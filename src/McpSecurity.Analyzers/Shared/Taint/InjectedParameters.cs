using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers.Shared.Taint;

/// <summary>
/// Which parameters of an MCP tool the server fills in itself (the SDK binds them from the request
/// context or the service provider) rather than from the client's JSON arguments. The SDK binds
/// <c>McpServer</c>, <c>RequestContext&lt;&gt;</c>, <c>IProgress&lt;&gt;</c>, <c>ClaimsPrincipal</c>,
/// <c>CancellationToken</c>, <c>IServiceProvider</c> and any type registered as a service. A service
/// registration is invisible to an analyzer, so the heuristic is about what JSON can bind:
/// <list type="bullet">
/// <item>listed types (option <c>mcpsec.injected_parameter_types</c>) and their subtypes;</item>
/// <item>parameters marked <c>[FromServices]</c> or <c>[FromKeyedServices]</c>;</item>
/// <item>interfaces, except the collection interfaces of <c>System.Collections</c> (DI services are interfaces);</item>
/// <item>delegates;</item>
/// <item>classes of the framework (<c>System.*</c>, <c>Microsoft.*</c>, <c>ModelContextProtocol.*</c>) or derived from one
/// (<c>HttpClient</c>, a <c>DbContext</c>), except strings, collections, <c>System.Text.Json</c> types, <c>Uri</c> and <c>object</c>;</item>
/// <item>user classes (not records) with no public settable property or field: behaviour-only service classes.</item>
/// </list>
/// Everything else — strings, numbers, enums, structs, records, DTO classes, arrays, collections,
/// <c>JsonElement</c>, <c>object</c> — is bound from the client's arguments.
/// </summary>
internal static class InjectedParameters
{
    public static bool IsInjected(IParameterSymbol parameter, ImmutableArray<INamedTypeSymbol> injectedTypes)
    {
        foreach (var attribute in parameter.GetAttributes())
        {
            var name = attribute.AttributeClass?.Name;
            if (name is "FromServicesAttribute" or "FromKeyedServicesAttribute")
            {
                return true;
            }
        }

        return IsInjectedType(parameter.Type, injectedTypes);
    }

    public static bool IsInjectedType(ITypeSymbol type, ImmutableArray<INamedTypeSymbol> injectedTypes)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        if (IsListed(type, injectedTypes))
        {
            return true;
        }

        switch (type.TypeKind)
        {
            case TypeKind.Interface:
                return !IsDataNamespace(type.ContainingNamespace);
            case TypeKind.Delegate:
                return true;
            case TypeKind.Class when type.SpecialType is SpecialType.System_String or SpecialType.System_Object:
                return false;
            case TypeKind.Class:
                return IsServiceClass((INamedTypeSymbol)type);
            default:
                // Structs, enums, arrays, type parameters: values the client sends.
                return false;
        }
    }

    private static bool IsListed(ITypeSymbol type, ImmutableArray<INamedTypeSymbol> injectedTypes)
    {
        foreach (var listed in injectedTypes)
        {
            if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, listed)
                || type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, listed)))
            {
                return true;
            }

            for (var current = type.BaseType; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, listed))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsServiceClass(INamedTypeSymbol type)
    {
        if (type.IsRecord)
        {
            return false;
        }

        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            if (IsFrameworkNamespace(current.ContainingNamespace))
            {
                return !IsDataNamespace(current.ContainingNamespace) && current.Name is not ("Uri" or "Version");
            }
        }

        // A user class: a DTO has something JSON can set; a service has only behaviour.
        foreach (var member in type.GetMembers())
        {
            if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public)
            {
                continue;
            }

            if (member is IPropertySymbol { SetMethod: not null, IsIndexer: false } or IFieldSymbol { IsConst: false, IsReadOnly: false }
                || member is IMethodSymbol { MethodKind: MethodKind.Constructor, Parameters.Length: > 0 } constructor
                    && constructor.Parameters.All(p => !LooksLikeService(p.Type)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A constructor parameter that only a container supplies; no recursion into user classes.</summary>
    private static bool LooksLikeService(ITypeSymbol type)
        => type.TypeKind switch
        {
            TypeKind.Interface => !IsDataNamespace(type.ContainingNamespace),
            TypeKind.Delegate => true,
            TypeKind.Class => type.SpecialType is not (SpecialType.System_String or SpecialType.System_Object)
                && IsFrameworkNamespace(type.ContainingNamespace)
                && !IsDataNamespace(type.ContainingNamespace),
            _ => false,
        };

    private static bool IsFrameworkNamespace(INamespaceSymbol? ns)
    {
        var root = RootNamespace(ns);
        return root is "System" or "Microsoft" or "ModelContextProtocol";
    }

    /// <summary>Namespaces whose types carry data that JSON binds: collections and JSON documents.</summary>
    private static bool IsDataNamespace(INamespaceSymbol? ns)
    {
        var name = ns?.ToDisplayString() ?? string.Empty;
        return name.StartsWith("System.Collections", StringComparison.Ordinal)
            || name.StartsWith("System.Text.Json", StringComparison.Ordinal);
    }

    private static string? RootNamespace(INamespaceSymbol? ns)
    {
        if (ns is null || ns.IsGlobalNamespace)
        {
            return null;
        }

        while (ns.ContainingNamespace is { IsGlobalNamespace: false } parent)
        {
            ns = parent;
        }

        return ns.Name;
    }
}
