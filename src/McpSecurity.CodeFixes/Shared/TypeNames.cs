using Microsoft.CodeAnalysis;

namespace McpSecurity.CodeFixes.Shared;

/// <summary>
/// How a fix writes a type's name: short where the short name already binds to that type at the
/// position (<c>Exception</c> under <c>using System;</c>), qualified otherwise. Fixes decide this
/// themselves rather than leaving it to the Simplifier, whose speculative binding throws inside
/// Roslyn for some files (a local function named <c>Main</c> among top-level statements, seen on a
/// real MCP client).
/// </summary>
internal static class TypeNames
{
    /// <param name="metadataName">The type's full metadata name, e.g. <c>System.TimeSpan</c>.</param>
    public static string Minimal(SemanticModel model, int position, string metadataName)
    {
        var dot = metadataName.LastIndexOf('.');
        var name = dot < 0 ? metadataName : metadataName.Substring(dot + 1);
        var type = model.Compilation.GetTypeByMetadataName(metadataName);
        var found = model.LookupNamespacesAndTypes(position, name: name);
        return type is not null && found.Length == 1 && SymbolEqualityComparer.Default.Equals(found[0], type)
            ? name
            : metadataName;
    }
}
