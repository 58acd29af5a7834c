using System.Text.RegularExpressions;

namespace McpSecurity.Package.Tests.Infrastructure;

/// <summary>One diagnostic as MSBuild prints it: <c>path(line,col): error ID: message [project]</c>.</summary>
public sealed partial record BuildDiagnostic(string File, int Line, string Severity, string Id, string Message)
{
    public bool IsError => Severity == "error";

    public static IReadOnlyList<BuildDiagnostic> Parse(string output)
    {
        var diagnostics = new List<BuildDiagnostic>();
        foreach (var line in output.Split('\n'))
        {
            var match = Pattern().Match(line.TrimEnd('\r'));
            if (!match.Success)
            {
                continue;
            }

            var diagnostic = new BuildDiagnostic(
                match.Groups["file"].Value.Trim(),
                match.Groups["line"].Success ? int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
                match.Groups["severity"].Value,
                match.Groups["id"].Value,
                match.Groups["message"].Value.Trim());
            if (!diagnostics.Contains(diagnostic))
            {
                diagnostics.Add(diagnostic);
            }
        }

        return diagnostics;
    }

    public override string ToString() => $"{File}({Line}): {Severity} {Id}: {Message}";

    // "/x/A.cs(12,9): error MCPSEC201: Bare catch … [/x/A.csproj]" and "CSC : warning CS8032: …".
    [GeneratedRegex(@"^\s*(?<file>.*?)(\((?<line>\d+),\d+(,\d+,\d+)?\))?\s*:\s*(?<severity>error|warning)\s+(?<id>[A-Za-z]+\d+)\s*:\s*(?<message>.*?)(\s+\[[^\]]+\])?$")]
    private static partial Regex Pattern();
}
