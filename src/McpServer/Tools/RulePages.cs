using System;
using System.IO;

namespace McpSecurity.Server.Tools;

/// <summary>
/// The rule pages (docs/rules/*.md), embedded when the server is built: <c>rules ID</c>, explain_rule and
/// the SARIF log show a rule's full page with no network and no copy of the repository, whether or not
/// the project has a public home for the help links to point at.
/// </summary>
public static class RulePages
{
    /// <summary>The Markdown page of rule <paramref name="id"/> (case-insensitive), or null when it has none.</summary>
    public static string? Find(string id)
    {
        using var stream = typeof(RulePages).Assembly.GetManifestResourceStream("rules/" + id.Trim().ToUpperInvariant() + ".md");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }
}
