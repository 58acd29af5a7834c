using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace McpSecurity.CodeFixes.Shared;

/// <summary>The layout conventions of the file a fix writes into, for code laid out by hand.</summary>
internal static class SourceLayout
{
    /// <summary>The file's line break (the first one in it), or <c>\n</c>.</summary>
    public static string EndOfLine(SyntaxNode node)
        => node.SyntaxTree.GetRoot().DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { RawKind: not 0 } found
            ? found.ToString()
            : "\n";

    /// <summary>The whitespace that starts the line <paramref name="node"/> starts on.</summary>
    public static string LineIndentation(SyntaxNode node)
    {
        var line = node.SyntaxTree.GetText().Lines.GetLineFromPosition(node.SpanStart).ToString();
        return line.Substring(0, line.Length - line.TrimStart().Length);
    }
}
