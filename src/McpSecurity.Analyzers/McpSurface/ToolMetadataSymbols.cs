using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// The MCP SDK (ModelContextProtocol 2.3.1) types whose text a client's model reads — the tool,
/// prompt and resource attributes, the delegate factories and their options, the protocol's
/// <c>Tool</c>/<c>Prompt</c>/<c>Resource</c> types — resolved once per compilation.
/// </summary>
internal sealed class ToolMetadataSymbols
{
    private ToolMetadataSymbols(Compilation compilation)
    {
        DescriptionAttribute = compilation.GetTypeByMetadataName("System.ComponentModel.DescriptionAttribute");
        ToolAttribute = compilation.GetTypeByMetadataName("ModelContextProtocol.Server.McpServerToolAttribute");
        PromptAttribute = compilation.GetTypeByMetadataName("ModelContextProtocol.Server.McpServerPromptAttribute");
        ResourceAttribute = compilation.GetTypeByMetadataName("ModelContextProtocol.Server.McpServerResourceAttribute");
        TypeAttributes = Resolve(
            compilation,
            "ModelContextProtocol.Server.McpServerToolTypeAttribute",
            "ModelContextProtocol.Server.McpServerPromptTypeAttribute",
            "ModelContextProtocol.Server.McpServerResourceTypeAttribute");
        Factories = Resolve(
            compilation,
            "ModelContextProtocol.Server.McpServerTool",
            "ModelContextProtocol.Server.McpServerPrompt",
            "ModelContextProtocol.Server.McpServerResource");
        MetadataTypes = Resolve(
            compilation,
            "ModelContextProtocol.Protocol.Tool",
            "ModelContextProtocol.Protocol.ToolAnnotations",
            "ModelContextProtocol.Protocol.Prompt",
            "ModelContextProtocol.Protocol.PromptArgument",
            "ModelContextProtocol.Protocol.Resource",
            "ModelContextProtocol.Protocol.ResourceTemplate",
            "ModelContextProtocol.Server.McpServerToolCreateOptions",
            "ModelContextProtocol.Server.McpServerPromptCreateOptions",
            "ModelContextProtocol.Server.McpServerResourceCreateOptions");
    }

    public INamedTypeSymbol? DescriptionAttribute { get; }

    public INamedTypeSymbol? ToolAttribute { get; }

    public INamedTypeSymbol? PromptAttribute { get; }

    public INamedTypeSymbol? ResourceAttribute { get; }

    public ImmutableArray<INamedTypeSymbol> TypeAttributes { get; }

    /// <summary><c>McpServerTool</c>, <c>McpServerPrompt</c>, <c>McpServerResource</c>: their <c>Create</c> turns a delegate into a tool.</summary>
    public ImmutableArray<INamedTypeSymbol> Factories { get; }

    /// <summary>Types whose <c>Name</c>, <c>Title</c> and <c>Description</c> go to the client as they are.</summary>
    public ImmutableArray<INamedTypeSymbol> MetadataTypes { get; }

    /// <summary>Whether the compilation can declare an MCP tool, prompt or resource at all.</summary>
    public bool ReferencesMcpServer
        => ToolAttribute is not null || PromptAttribute is not null || ResourceAttribute is not null || !MetadataTypes.IsEmpty;

    public static ToolMetadataSymbols Create(Compilation compilation) => new(compilation);

    public bool IsSdkMemberAttribute(INamedTypeSymbol? attributeClass)
        => attributeClass is not null
            && (SymbolEqualityComparer.Default.Equals(attributeClass, ToolAttribute)
                || SymbolEqualityComparer.Default.Equals(attributeClass, PromptAttribute)
                || SymbolEqualityComparer.Default.Equals(attributeClass, ResourceAttribute));

    public static bool Contains(ImmutableArray<INamedTypeSymbol> types, ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        foreach (var candidate in types)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate, type.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private static ImmutableArray<INamedTypeSymbol> Resolve(Compilation compilation, params string[] names)
    {
        var builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>(names.Length);
        foreach (var name in names)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                builder.Add(type);
            }
        }

        return builder.ToImmutable();
    }
}
