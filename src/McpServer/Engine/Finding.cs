using System.Collections.Generic;
using System.Text.Json.Serialization;
using McpSecurity.Analyzers.Baseline;

namespace McpSecurity.Server.Engine;

/// <summary>One diagnostic, in the stable shape every output (text, JSON, SARIF, MCP) is built from.</summary>
public sealed record Finding(
    string Id,
    string Severity,
    string File,
    int Line,
    int Column,
    string Message,
    string? HelpUri)
{
    /// <summary>The baseline fingerprint, when the scan was asked for it (<c>scan --baseline</c>, <c>baseline</c>).</summary>
    [JsonIgnore]
    public BaselineEntry? Fingerprint { get; init; }
}

/// <summary>The outcome of a scan: findings ordered by file, line, column and ID.</summary>
public sealed record ScanResult(
    IReadOnlyList<Finding> Findings,
    int FilesScanned,
    [property: JsonIgnore] double ElapsedMilliseconds);

/// <summary>A file the fix engine changed (or would change under --dry-run).</summary>
public sealed record FileChange(string File, string Diff, [property: JsonIgnore] string NewText);

/// <summary>The outcome of a fix run: what changed, and the findings that remain unfixed.</summary>
public sealed record FixResult(IReadOnlyList<FileChange> Changes, IReadOnlyList<Finding> Unfixed, IReadOnlyList<FixFailure> Failures)
{
    /// <summary>The findings left unfixed, each at the line the scan reported (before any fix moved the code), with the reason.</summary>
    public IReadOnlyList<UnfixedFinding> NotFixed { get; init; } = [];
}

/// <summary>A finding no fix removed, where the scan reported it, and why: what a person can do next.</summary>
public sealed record UnfixedFinding(Finding Finding, string Reason);

/// <summary>
/// A fix that threw while it was applied to one rule's findings in one file; those findings stay
/// unfixed. <see cref="Exception"/> is kept for a bug report and never sent to an MCP client.
/// </summary>
public sealed record FixFailure(string File, string Id, string Reason, [property: JsonIgnore] System.Exception Exception);

/// <summary>Bad input from the user (a missing path, an unloadable project): exit code 2, nothing written.</summary>
public class InputException(string message, System.Exception? innerException = null) : System.Exception(message, innerException)
{
    /// <summary>The message and the causes under it, for a person reading the command line's stderr.</summary>
    public static string Describe(System.Exception exception)
    {
        var text = new System.Text.StringBuilder(exception.Message);
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(" (").Append(inner.GetType().Name).Append(": ").Append(inner.Message).Append(')');
        }

        return text.ToString();
    }
}

/// <summary>
/// Input past one of the scan limits (syntax depth, interpolation nesting, file size or count). The
/// parts are kept apart so an MCP client can be told which limit, its value and what was found.
/// </summary>
public sealed class LimitExceededException(string limit, long maximum, long found, string where)
    : InputException($"{where}: {found} is past the {limit} of {maximum}.")
{
    /// <summary>The limit's name, e.g. "syntax depth limit".</summary>
    public string Limit { get; } = limit;

    public long Maximum { get; } = maximum;

    public long Found { get; } = found;

    /// <summary>The file (relative to the display base) or the path the limit applies to.</summary>
    public string Where { get; } = where;
}
