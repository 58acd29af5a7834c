using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpSecurity.CodeFixes.Shared;

internal static class UsingDirectives
{
    /// <summary>
    /// Adds <c>using <paramref name="namespaceName"/>;</c> to a compilation unit that lacks it, ended
    /// with the file's own line ending (a fix must not leave one CRLF line in an LF file). Unlike
    /// <see cref="LoggerInScope.AddLoggingUsing"/>, whose elastic line break the formatter may turn
    /// into a blank line, it leaves the layout after the usings as it was.
    /// </summary>
    public static CompilationUnitSyntax Add(CompilationUnitSyntax root, string namespaceName)
    {
        if (root.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == namespaceName))
        {
            return root;
        }

        var endOfLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(namespaceName))
            .WithTrailingTrivia(endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine : SyntaxFactory.ElasticCarriageReturnLineFeed);
        return root.AddUsings(directive);
    }
}
