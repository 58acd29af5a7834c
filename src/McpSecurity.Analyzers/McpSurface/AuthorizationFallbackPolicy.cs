using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// Whether the compilation sets an authorization fallback policy — <c>options.FallbackPolicy = …</c>
/// on <c>AuthorizationOptions</c> (in <c>AddAuthorization(o => …)</c>, <c>Configure&lt;AuthorizationOptions&gt;</c>,
/// anywhere) or <c>AddAuthorizationBuilder().SetFallbackPolicy(…)</c> with a value other than null.
/// With one, every endpoint without its own authorization metadata requires it, MapMcp's included.
/// </summary>
/// <remarks>
/// The setting usually sits in another file than MapMcp (an <c>AddAuth</c> extension), and a
/// compilation-end action would show MCPSEC601 only after a full build. Instead the first MapMcp
/// call a compilation analyses asks this, once: a text search for "FallbackPolicy" over the trees,
/// read in chunks, then binding only the matching assignments and calls in the few trees that have the word. It
/// runs only in compilations that map an MCP endpoint.
/// </remarks>
internal sealed class AuthorizationFallbackPolicy
{
    private const string Word = "FallbackPolicy";

    private readonly Compilation compilation;
    private readonly McpEndpointSymbols symbols;

    // 0: not computed yet, 1: no fallback policy, 2: a fallback policy is set.
    private int state;

    public AuthorizationFallbackPolicy(Compilation compilation, McpEndpointSymbols symbols)
    {
        this.compilation = compilation;
        this.symbols = symbols;
    }

    public bool IsSet(CancellationToken cancellationToken)
    {
        var known = Volatile.Read(ref state);
        if (known != 0)
        {
            return known == 2;
        }

        // Two threads may both scan; both get the same answer. A cancelled scan throws and caches nothing.
        var found = Scan(cancellationToken);
        Volatile.Write(ref state, found ? 2 : 1);
        return found;
    }

    private bool Scan(CancellationToken cancellationToken)
    {
        if (symbols.AuthorizationOptions is null && symbols.AuthorizationBuilder is null)
        {
            return false;
        }

        foreach (var tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Contains(tree.GetText(cancellationToken), Word))
            {
                continue;
            }

            SemanticModel? model = null;
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                switch (node)
                {
                    case AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment
                        when NameOf(assignment.Left) == Word && !IsNull(assignment.Right):
                        model ??= ModelOf(tree);
                        if (model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol is IPropertySymbol property
                            && SymbolEqualityComparer.Default.Equals(property.ContainingType, symbols.AuthorizationOptions))
                        {
                            return true;
                        }

                        break;
                    case InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } invocation
                        when NameOf(invocation.Expression) == "Set" + Word && !IsNull(invocation.ArgumentList.Arguments[0].Expression):
                        model ??= ModelOf(tree);
                        if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol method
                            && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.AuthorizationBuilder))
                        {
                            return true;
                        }

                        break;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="text"/> contains <paramref name="word"/>, read in chunks: no copy of the whole
    /// file. The restart on a mismatch is exact for words whose first letter does not recur ("FallbackPolicy").
    /// </summary>
    internal static bool Contains(SourceText text, string word)
    {
        var buffer = new char[4096];
        var matched = 0;
        for (var start = 0; start < text.Length; start += buffer.Length)
        {
            var count = Math.Min(buffer.Length, text.Length - start);
            text.CopyTo(start, buffer, 0, count);
            for (var i = 0; i < count; i++)
            {
                var c = buffer[i];
                matched = c == word[matched] ? matched + 1 : c == word[0] ? 1 : 0;
                if (matched == word.Length)
                {
                    return true;
                }
            }
        }

        return false;
    }

    // Another tree than the one being analysed: its model is asked once per compilation, and only for
    // the trees that contain the word.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
    private SemanticModel ModelOf(SyntaxTree tree) => compilation.GetSemanticModel(tree);
#pragma warning restore RS1030

    private static string? NameOf(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        _ => null,
    };

    private static bool IsNull(ExpressionSyntax value)
        => value.IsKind(SyntaxKind.NullLiteralExpression) || value.IsKind(SyntaxKind.DefaultLiteralExpression);
}
