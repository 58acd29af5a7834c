using System;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace McpSecurity.Analyzers.Baseline;

/// <summary>
/// The baseline fingerprint of a finding, computed the same way by the build (<see cref="BaselineFilter"/>)
/// and by the command line, from the syntax tree alone: no semantic model, so a project that did not
/// restore and one that did give the same value.
/// </summary>
public static class FindingFingerprint
{
    /// <summary>Longer snippets are cut here: a multi-line finding (a whole object creation) stays one readable line.</summary>
    public const int MaxSnippetLength = 200;

    /// <summary>The fingerprint of <paramref name="diagnostic"/>, or null when it is not in a source file.</summary>
    /// <param name="baseDirectory">The folder the file path is made relative to: the baseline file's folder.</param>
    public static BaselineEntry? Of(Diagnostic diagnostic, string baseDirectory, CancellationToken cancellationToken)
    {
        var location = diagnostic.Location;
        if (!location.IsInSource || location.SourceTree is not { } tree)
        {
            return null;
        }

        var text = tree.GetText(cancellationToken);
        var span = location.SourceSpan;
        var firstLine = text.Lines.GetLineFromPosition(span.Start).LineNumber;
        var lastLine = text.Lines.GetLineFromPosition(span.End).LineNumber;
        if (span.Length > 0 && lastLine > firstLine && text.Lines[lastLine].Start == span.End)
        {
            lastLine--;
        }

        var lineCount = lastLine - firstLine + 1;
        var snippet = Snippet(text, firstLine, lineCount);
        var member = EnclosingMember.Find(tree.GetRoot(cancellationToken), span.Start);

        // Which of the member's lines with this very text: two identical handlers in one method are two
        // entries, and fixing one leaves the other's entry in place.
        var occurrence = 0;
        var memberFirstLine = member is null ? 0 : text.Lines.GetLineFromPosition(member.SpanStart).LineNumber;
        for (var line = memberFirstLine; line < firstLine; line++)
        {
            if (string.Equals(Snippet(text, line, lineCount), snippet, StringComparison.Ordinal))
            {
                occurrence++;
            }
        }

        return new BaselineEntry(RelativePath(tree.FilePath, baseDirectory), EnclosingMember.IdOf(member), diagnostic.Id, occurrence, snippet);
    }

    /// <summary>Lines <paramref name="firstLine"/>.. of <paramref name="text"/>, every run of whitespace one space, cut at <see cref="MaxSnippetLength"/>.</summary>
    public static string Snippet(SourceText text, int firstLine, int lineCount)
    {
        var builder = new StringBuilder();
        var pendingSpace = false;
        var end = Math.Min(text.Lines.Count, firstLine + lineCount);
        for (var line = firstLine; line < end && builder.Length < MaxSnippetLength; line++)
        {
            var span = text.Lines[line].Span;
            for (var position = span.Start; position < span.End && builder.Length < MaxSnippetLength; position++)
            {
                var c = text[position];
                if (char.IsWhiteSpace(c))
                {
                    pendingSpace = builder.Length > 0;
                    continue;
                }

                if (pendingSpace)
                {
                    builder.Append(' ');
                    pendingSpace = false;
                }

                builder.Append(c);
            }

            pendingSpace = builder.Length > 0;
        }

        return builder.Length > MaxSnippetLength ? builder.ToString(0, MaxSnippetLength) : builder.ToString();
    }

    /// <summary>
    /// <paramref name="filePath"/> relative to <paramref name="baseDirectory"/> with forward slashes, so a
    /// baseline written on Windows matches on Linux (<c>../src/A.cs</c> when the baseline lives in a
    /// sibling folder); a file that shares no folder with it but the root keeps its full path.
    /// </summary>
    public static string RelativePath(string filePath, string baseDirectory)
    {
        var file = filePath.Replace('\\', '/');
        var root = baseDirectory.Replace('\\', '/').TrimEnd('/');
        if (root.Length == 0)
        {
            return file;
        }

        var fileParts = file.Split('/');
        var rootParts = root.Split('/');
        var common = 0;
        while (common < rootParts.Length && common < fileParts.Length - 1
            && string.Equals(fileParts[common], rootParts[common], StringComparison.OrdinalIgnoreCase))
        {
            common++;
        }

        // "/" alone, or "C:" alone, is not a shared folder.
        var sharedRoot = rootParts[0].Length == 0 || rootParts[0].EndsWith(":", StringComparison.Ordinal) ? 1 : 0;
        if (common <= sharedRoot)
        {
            return file;
        }

        var relative = new StringBuilder();
        for (var up = common; up < rootParts.Length; up++)
        {
            relative.Append("../");
        }

        return relative.Append(string.Join("/", fileParts, common, fileParts.Length - common)).ToString();
    }
}
