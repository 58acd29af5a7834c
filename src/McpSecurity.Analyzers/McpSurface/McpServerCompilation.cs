using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// Whether a compilation is (part of) an MCP server: it declares a tool, prompt or resource — a method
/// with one of the <c>mcpsec.tool_attributes</c>, or a type marked <c>[McpServerToolType]</c>,
/// <c>[McpServerPromptType]</c> or <c>[McpServerResourceType]</c> — or the user named its tool entry
/// points with <c>mcpsec.untrusted_parameters</c>. Referencing the SDK is not enough: MCP clients, test
/// fixtures and demo launchers reference the same assembly, which holds the server attributes too.
/// Decided once, lazily, on the first body that needs it, from declarations only (no method body is read).
/// </summary>
internal sealed class McpServerCompilation
{
    private static readonly string[] TypeAttributeNames =
    {
        "ModelContextProtocol.Server.McpServerToolTypeAttribute",
        "ModelContextProtocol.Server.McpServerPromptTypeAttribute",
        "ModelContextProtocol.Server.McpServerResourceTypeAttribute",
    };

    private readonly Compilation compilation;
    private readonly ImmutableArray<INamedTypeSymbol> methodAttributes;
    private readonly ImmutableArray<INamedTypeSymbol> typeAttributes;
    private readonly bool namedEntryPoints;
    private readonly object gate = new();
    private bool? isServer;

    public McpServerCompilation(Compilation compilation, AnalyzerOptions options)
    {
        this.compilation = compilation;
        methodAttributes = Resolve(compilation, RuleOptionReader.GetList(options, null, RuleCatalog.ToolAttributes));
        typeAttributes = Resolve(compilation, TypeAttributeNames);
        namedEntryPoints = RuleOptionReader.GetList(options, null, RuleCatalog.UntrustedParameters).Length > 0;
    }

    /// <summary>Whether anything could make the compilation a server: the attribute types exist, or entry points are configured.</summary>
    public bool MayBeServer => namedEntryPoints || !methodAttributes.IsEmpty || !typeAttributes.IsEmpty;

    public bool IsServer(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            // Not cached when cancelled: the next body computes it again.
            isServer ??= namedEntryPoints || DeclaresPrimitive(cancellationToken);
            return isServer.Value;
        }
    }

    private bool DeclaresPrimitive(CancellationToken cancellationToken)
    {
        foreach (var symbol in compilation.GetSymbolsWithName(_ => true, SymbolFilter.Type, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (symbol is not INamedTypeSymbol type)
            {
                continue;
            }

            if (HasAny(type, typeAttributes))
            {
                return true;
            }

            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol method && HasAny(method, methodAttributes))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool HasAny(ISymbol symbol, ImmutableArray<INamedTypeSymbol> attributes)
    {
        if (attributes.IsEmpty)
        {
            return false;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { } type && attributes.Contains(type, SymbolEqualityComparer.Default))
            {
                return true;
            }
        }

        return false;
    }

    private static ImmutableArray<INamedTypeSymbol> Resolve(Compilation compilation, System.Collections.Generic.IEnumerable<string> names)
        => names.Select(compilation.GetTypeByMetadataName).Where(t => t is not null).Select(t => t!).ToImmutableArray();
}
