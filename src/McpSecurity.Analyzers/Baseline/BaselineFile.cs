using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;

namespace McpSecurity.Analyzers.Baseline;

/// <summary>
/// The baseline file (<c>mcpsec.baseline</c>): a header line with the format version, then one accepted
/// finding per line, tab-separated (file, member, rule, occurrence, snippet), sorted, so that a review
/// sees each accepted or removed finding as one line of the diff. Plain text rather than JSON: the
/// analyzers read it inside the compiler, which offers no JSON reader on every supported version.
/// </summary>
public sealed class BaselineFile
{
    public const string DefaultFileName = "mcpsec.baseline";

    public const int FormatVersion = 1;

    private const string HeaderPrefix = "# McpSecurity baseline, format ";

    private BaselineFile(ImmutableArray<BaselineEntry> entries) => Entries = entries;

    /// <summary>Sorted, without duplicates.</summary>
    public ImmutableArray<BaselineEntry> Entries { get; }

    /// <summary>Reads <paramref name="text"/>; on failure <paramref name="error"/> says which line and why.</summary>
    public static bool TryParse(string text, out BaselineFile? baseline, out string? error)
    {
        baseline = null;
        var entries = new HashSet<BaselineEntry>();
        var lines = text.Split('\n');
        var sawHeader = false;
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd('\r');
            var number = index + 1;
            if (!sawHeader)
            {
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                if (!line.StartsWith(HeaderPrefix, StringComparison.Ordinal))
                {
                    error = $"line {number}: not a McpSecurity baseline (the first line must start with '{HeaderPrefix}{FormatVersion}')";
                    return false;
                }

                var digits = new string(line.Substring(HeaderPrefix.Length).TakeWhile(char.IsDigit).ToArray());
                if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version != FormatVersion)
                {
                    error = $"line {number}: baseline format '{digits}' is not format {FormatVersion}, the one this version reads";
                    return false;
                }

                sawHeader = true;
                continue;
            }

            if (line.Trim().Length == 0 || line.StartsWith("#", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length != 5)
            {
                error = $"line {number}: expected 5 tab-separated fields (file, member, rule, occurrence, snippet), found {fields.Length}";
                return false;
            }

            if (fields[0].Length == 0 || fields[1].Length == 0 || fields[2].Length == 0)
            {
                error = $"line {number}: the file, member and rule fields must not be empty";
                return false;
            }

            if (!int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var occurrence))
            {
                error = $"line {number}: the occurrence '{fields[3]}' is not a whole number";
                return false;
            }

            entries.Add(new BaselineEntry(fields[0], fields[1], fields[2], occurrence, fields[4]));
        }

        if (!sawHeader)
        {
            error = $"the file is empty; a baseline starts with '{HeaderPrefix}{FormatVersion}'";
            return false;
        }

        baseline = new BaselineFile(Sorted(entries));
        error = null;
        return true;
    }

    /// <summary>The file's text for <paramref name="entries"/>: header, then one sorted line each, '\n' line ends.</summary>
    public static string Write(IEnumerable<BaselineEntry> entries)
    {
        var text = new StringBuilder()
            .Append(HeaderPrefix).Append(FormatVersion).Append(": findings accepted when McpSecurity was adopted; only new findings fail the build.\n")
            .Append("# Written by 'mcpsec baseline'. Delete a line when its finding is fixed (mcpsec scan lists stale lines). See docs/baseline.md.\n")
            .Append("# file\tmember\trule\toccurrence\tsnippet\n");
        foreach (var entry in Sorted(entries))
        {
            text.Append(entry).Append('\n');
        }

        return text.ToString();
    }

    private static ImmutableArray<BaselineEntry> Sorted(IEnumerable<BaselineEntry> entries)
    {
        var list = entries.Distinct().ToList();
        list.Sort(BaselineEntry.Compare);
        return list.ToImmutableArray();
    }
}
