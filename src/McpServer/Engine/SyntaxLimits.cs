using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace McpSecurity.Server.Engine;

/// <summary>
/// Shape limits every syntax tree must meet before anything binds it. Roslyn's binder and our
/// analyzers recurse once per nesting level, so 20 KB of nested parentheses overflows a thread's
/// stack and aborts the whole process (a stack overflow cannot be caught); and the binder's work on
/// nested interpolated strings doubles with each level, so 166 characters keep a core busy for over a
/// minute without ever looking at the cancellation token. Both shapes are refused here, on the raw
/// text (brackets) and on the parsed tree (depth, interpolation), walked without recursion, before
/// any binding.
/// </summary>
public sealed record SyntaxLimits(int MaxDepth, int MaxInterpolationNesting, int MaxBracketNesting)
{
    /// <summary>
    /// Syntax-node depth. The deepest of the 149 C# files in this repository (analyzers, fixes, server,
    /// tests and samples) is 38 levels. The binder overflowed an 8 MB thread-pool stack at about 9,500
    /// levels of parentheses, and Roslyn moves parts of the analysis onto such threads, so 300 keeps a
    /// thirtyfold margin below the crash and nearly eight times the depth of real code.
    /// </summary>
    public const int DefaultMaxDepth = 300;

    /// <summary>
    /// Interpolated strings inside interpolated strings. This repository nests 2 at most. The binder's
    /// cost roughly doubles per level and ignores cancellation (18 levels 2.2 s, 22 levels 41.6 s);
    /// 8 levels still take under 0.1 s.
    /// </summary>
    public const int DefaultMaxInterpolationNesting = 4;

    /// <summary>
    /// Brackets open at once in the raw text, counted before parsing: Roslyn's parser looks ahead at
    /// each '(' for a cast, lambda or tuple, so nested parentheses parse in quadratic time (measured:
    /// 10,000 levels 6.5 s, 20,000 levels 28 s, 40,000 levels 85 s; 200,000 fit in a 512 KB source).
    /// Brackets in strings and comments count too, so the limit leaves room over <see cref="DefaultMaxDepth"/>
    /// for unbalanced ones such as <c>'('</c>; 1,000 levels parse in well under a second. This
    /// repository's deepest file nests 13.
    /// </summary>
    public const int DefaultMaxBracketNesting = 1000;

    public static SyntaxLimits Default { get; } = new(DefaultMaxDepth, DefaultMaxInterpolationNesting, DefaultMaxBracketNesting);

    /// <summary>Throws <see cref="LimitExceededException"/> when the raw text nests brackets past <see cref="MaxBracketNesting"/>; call it before parsing.</summary>
    public void CheckText(SourceText text, string displayName)
    {
        var open = 0;
        var deepest = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(' or '[' or '{':
                    deepest = Math.Max(deepest, ++open);
                    break;
                case ')' or ']' or '}':
                    open = Math.Max(0, open - 1);
                    break;
            }
        }

        if (deepest > MaxBracketNesting)
        {
            throw new LimitExceededException("bracket nesting limit", MaxBracketNesting, deepest, displayName);
        }
    }

    /// <summary>Throws <see cref="LimitExceededException"/> naming the limit and the value found when <paramref name="tree"/> breaks one.</summary>
    public void Check(SyntaxTree tree, string displayName, System.Threading.CancellationToken cancellationToken)
    {
        var (depth, interpolations) = Measure(tree.GetRoot(cancellationToken), cancellationToken);
        if (depth > MaxDepth)
        {
            throw new LimitExceededException("syntax depth limit", MaxDepth, depth, displayName);
        }

        if (interpolations > MaxInterpolationNesting)
        {
            throw new LimitExceededException("interpolated string nesting limit", MaxInterpolationNesting, interpolations, displayName);
        }
    }

    /// <summary>
    /// The deepest node and the deepest nesting of interpolated strings, walked with an explicit
    /// stack: a recursive walk would overflow on the very input it is meant to refuse.
    /// </summary>
    public static (int Depth, int InterpolationNesting) Measure(SyntaxNode root, System.Threading.CancellationToken cancellationToken)
    {
        var maxDepth = 0;
        var maxInterpolations = 0;
        var pending = new Stack<(SyntaxNode Node, int Depth, int Interpolations)>();
        pending.Push((root, 1, 0));
        var visited = 0;
        while (pending.Count > 0)
        {
            if (++visited % 4096 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var (node, depth, interpolations) = pending.Pop();
            if (node.IsKind(SyntaxKind.InterpolatedStringExpression))
            {
                interpolations++;
            }

            if (depth > maxDepth)
            {
                maxDepth = depth;
            }

            if (interpolations > maxInterpolations)
            {
                maxInterpolations = interpolations;
            }

            foreach (var child in node.ChildNodes())
            {
                pending.Push((child, depth + 1, interpolations));
            }
        }

        return (maxDepth, maxInterpolations);
    }

}
