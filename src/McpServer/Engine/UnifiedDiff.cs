using System;
using System.Collections.Generic;
using System.Text;

namespace McpSecurity.Server.Engine;

/// <summary>A unified diff (three lines of context) of two texts, as <c>diff -u</c> and <c>git apply</c> read it.</summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    public static string Create(string path, string oldText, string newText)
    {
        var a = SplitLines(oldText);
        var b = SplitLines(newText);
        var ops = Diff(a, b);
        var output = new StringBuilder();
        path = path.Replace('\\', '/').TrimStart('/');
        output.Append("--- a/").Append(path).Append('\n');
        output.Append("+++ b/").Append(path).Append('\n');

        var index = 0;
        while (index < ops.Count)
        {
            if (ops[index].Kind == ' ')
            {
                index++;
                continue;
            }

            // A hunk runs from the first change to the last change that is within 2*Context of the next.
            var start = Math.Max(0, index - Context);
            var end = index;
            while (true)
            {
                while (end < ops.Count && ops[end].Kind != ' ')
                {
                    end++;
                }

                var next = end;
                while (next < ops.Count && ops[next].Kind == ' ')
                {
                    next++;
                }

                if (next < ops.Count && next - end <= 2 * Context)
                {
                    end = next;
                    continue;
                }

                end = Math.Min(ops.Count, end + Context);
                break;
            }

            int oldStart = ops[start].OldLine, newStart = ops[start].NewLine, oldCount = 0, newCount = 0;
            var body = new StringBuilder();
            for (var i = start; i < end; i++)
            {
                var op = ops[i];
                body.Append(op.Kind).Append(op.Text).Append('\n');
                if (op.Kind != '+')
                {
                    oldCount++;
                }

                if (op.Kind != '-')
                {
                    newCount++;
                }
            }

            output.Append("@@ -").Append(oldCount == 0 ? oldStart : oldStart + 1).Append(',').Append(oldCount)
                .Append(" +").Append(newCount == 0 ? newStart : newStart + 1).Append(',').Append(newCount)
                .Append(" @@\n").Append(body);
            index = end;
        }

        return output.ToString();
    }

    private readonly record struct Op(char Kind, string Text, int OldLine, int NewLine);

    private static string[] SplitLines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    private static List<Op> Diff(string[] a, string[] b)
    {
        // Common prefix and suffix first: fixes touch a few lines, so the quadratic table stays small.
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix
            && a[a.Length - 1 - suffix] == b[b.Length - 1 - suffix])
        {
            suffix++;
        }

        int n = a.Length - prefix - suffix, m = b.Length - prefix - suffix;
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = a[prefix + i] == b[prefix + j]
                    ? lcs[i + 1, j + 1] + 1
                    : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var ops = new List<Op>(a.Length + b.Length);
        for (var k = 0; k < prefix; k++)
        {
            ops.Add(new Op(' ', a[k], k, k));
        }

        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[prefix + x] == b[prefix + y])
            {
                ops.Add(new Op(' ', a[prefix + x], prefix + x, prefix + y));
                x++;
                y++;
            }
            else if (x < n && (y == m || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                // Removals before additions, as diff -u prints them.
                ops.Add(new Op('-', a[prefix + x], prefix + x, prefix + y));
                x++;
            }
            else
            {
                ops.Add(new Op('+', b[prefix + y], prefix + x, prefix + y));
                y++;
            }
        }

        for (var k = 0; k < suffix; k++)
        {
            ops.Add(new Op(' ', a[prefix + n + k], prefix + n + k, prefix + m + k));
        }

        return ops;
    }
}
