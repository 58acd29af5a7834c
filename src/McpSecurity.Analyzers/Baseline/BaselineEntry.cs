using System;

namespace McpSecurity.Analyzers.Baseline;

/// <summary>
/// One accepted finding, by what survives edits elsewhere in the file: the rule, the file relative to
/// the baseline's folder, the enclosing member, the finding's line with whitespace collapsed, and which
/// of the member's identical lines it is. Line numbers are left out on purpose: adding a line above a
/// finding must not turn it into a new one.
/// </summary>
public sealed class BaselineEntry : IEquatable<BaselineEntry>
{
    public BaselineEntry(string file, string symbol, string ruleId, int occurrence, string snippet)
    {
        File = file;
        Symbol = symbol;
        RuleId = ruleId;
        Occurrence = occurrence;
        Snippet = snippet;
    }

    /// <summary>Relative to the baseline file's folder, forward slashes (<c>src/Tools/Mail.cs</c>).</summary>
    public string File { get; }

    /// <summary>The enclosing member, documentation-comment-ID-like (<c>M:Ns.Type.Method(string)</c>).</summary>
    public string Symbol { get; }

    public string RuleId { get; }

    /// <summary>0 for the member's first line with this text, 1 for the second, …</summary>
    public int Occurrence { get; }

    /// <summary>The lines the finding covers, whitespace collapsed, at most <see cref="FindingFingerprint.MaxSnippetLength"/> characters.</summary>
    public string Snippet { get; }

    /// <summary>Baseline order: by file, member, rule, snippet, occurrence, so a diff groups by file.</summary>
    public static int Compare(BaselineEntry a, BaselineEntry b)
    {
        var result = string.CompareOrdinal(a.File, b.File);
        if (result == 0)
        {
            result = string.CompareOrdinal(a.Symbol, b.Symbol);
        }

        if (result == 0)
        {
            result = string.CompareOrdinal(a.RuleId, b.RuleId);
        }

        if (result == 0)
        {
            result = string.CompareOrdinal(a.Snippet, b.Snippet);
        }

        return result != 0 ? result : a.Occurrence.CompareTo(b.Occurrence);
    }

    public bool Equals(BaselineEntry? other)
        => other is not null
            && Occurrence == other.Occurrence
            && string.Equals(RuleId, other.RuleId, StringComparison.Ordinal)
            && string.Equals(File, other.File, StringComparison.Ordinal)
            && string.Equals(Symbol, other.Symbol, StringComparison.Ordinal)
            && string.Equals(Snippet, other.Snippet, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as BaselineEntry);

    public override int GetHashCode()
    {
        unchecked
        {
            var hash = StringComparer.Ordinal.GetHashCode(RuleId);
            hash = (hash * 31) + StringComparer.Ordinal.GetHashCode(File);
            hash = (hash * 31) + StringComparer.Ordinal.GetHashCode(Symbol);
            hash = (hash * 31) + StringComparer.Ordinal.GetHashCode(Snippet);
            return (hash * 31) + Occurrence;
        }
    }

    /// <summary>The entry's line in the baseline file.</summary>
    public override string ToString()
        => File + "\t" + Symbol + "\t" + RuleId + "\t" + Occurrence.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\t" + Snippet;
}
