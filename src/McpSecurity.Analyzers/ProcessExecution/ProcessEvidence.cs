using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace McpSecurity.Analyzers.ProcessExecution;

/// <summary>
/// Whether a compilation's source can hold anything the process rules report, decided from the text
/// of its trees before any binding: the process rules then register nothing in the (many) projects
/// that start no process, and the compiler does not even build operation trees for them.
/// <para>
/// Why the words are enough: the start rules read launches by their type (<c>Process</c>,
/// <c>ProcessStartInfo</c>, named in source unless the object comes from another assembly through
/// <c>var</c>) and what is written to them (<c>FileName</c>, <c>Arguments</c>, <c>ArgumentList</c>,
/// <c>UseShellExecute</c>, <c>StartInfo</c>, each spelled where it is written); command lines handed to
/// a helper count only when the helper, in this compilation, starts a process itself, so its tree holds
/// the evidence. The wait rule reports only calls spelled <c>WaitForExit</c>/<c>WaitForExitAsync</c>.
/// A word inside a comment or string only costs the full analysis, never a finding.
/// </para>
/// </summary>
internal static class ProcessEvidence
{
    /// <summary>Something a start rule (MCPSEC401–403, 405) can read may be in the tree.</summary>
    public const int Start = 1;

    /// <summary>A call spelled <c>WaitForExit</c> (or its async form) may be in the tree.</summary>
    public const int Wait = 2;

    private const int ChunkLength = 8192;

    private static readonly (string Word, int Flag)[] Words =
    {
        ("Process", Start),
        ("StartInfo", Start),
        ("FileName", Start),
        ("Arguments", Start),
        ("ArgumentList", Start),
        ("UseShellExecute", Start),
        ("WaitForExit", Wait),
    };

    private static readonly int LongestWord = LongestWordLength();

    /// <summary>Trees outlive compilations (the IDE makes a new compilation per edit and keeps the unchanged trees), so the scan is cached per tree.</summary>
    private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<int>> PerTree = new();

    /// <summary>The union of the flags of every tree of <paramref name="compilation"/>.</summary>
    public static int Of(Compilation compilation, CancellationToken cancellationToken)
    {
        var flags = 0;
        foreach (var tree in compilation.SyntaxTrees)
        {
            flags |= Of(tree, cancellationToken);
            if (flags == (Start | Wait))
            {
                break;
            }
        }

        return flags;
    }

    private static int Of(SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (PerTree.TryGetValue(tree, out var known))
        {
            return known.Value;
        }

        var flags = Scan(tree.GetText(cancellationToken));
        PerTree.GetValue(tree, _ => new StrongBox<int>(flags));
        return flags;
    }

    /// <summary>Ordinal search of the words over the text, chunk by chunk (a large file's text is not one string), chunks overlapping by a word's length.</summary>
    private static int Scan(SourceText text)
    {
        var buffer = new char[ChunkLength + LongestWord];
        var flags = 0;
        var start = 0;
        while (start < text.Length)
        {
            var length = Math.Min(buffer.Length, text.Length - start);
            text.CopyTo(start, buffer, 0, length);
            var chunk = new ReadOnlySpan<char>(buffer, 0, length);
            foreach (var (word, flag) in Words)
            {
                if ((flags & flag) == 0 && chunk.IndexOf(word.AsSpan()) >= 0)
                {
                    flags |= flag;
                }
            }

            if (flags == (Start | Wait) || start + length >= text.Length)
            {
                break;
            }

            start += length - (LongestWord - 1);
        }

        return flags;
    }

    private static int LongestWordLength()
    {
        var longest = 0;
        foreach (var (word, _) in Words)
        {
            longest = Math.Max(longest, word.Length);
        }

        return longest;
    }
}
