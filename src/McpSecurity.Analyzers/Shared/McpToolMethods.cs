using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers.Shared;

/// <summary>
/// Which methods are MCP tools, prompts or resources: methods carrying one of the attributes named
/// by <see cref="RuleCatalog.ToolAttributes"/>. Their parameters are what a client sends.
/// </summary>
internal static class McpToolMethods
{
    public static bool IsToolMethod(IMethodSymbol method, ImmutableArray<string> attributeNames)
        => ToolAttribute(method, attributeNames) is not null;

    public static AttributeData? ToolAttribute(IMethodSymbol method, ImmutableArray<string> attributeNames)
    {
        foreach (var attribute in method.GetAttributes())
        {
            var name = attribute.AttributeClass?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted));
            if (name is not null && attributeNames.Contains(name))
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>The name a client calls the tool by: the attribute's <c>Name</c> when set, else the method's name.</summary>
    public static string ToolName(IMethodSymbol method, AttributeData attribute)
        => attribute.NamedArguments.FirstOrDefault(a => a.Key == "Name").Value.Value as string is { Length: > 0 } name
            ? name
            : method.Name;
}
