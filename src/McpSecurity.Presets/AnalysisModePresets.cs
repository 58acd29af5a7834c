using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using McpSecurity.Analyzers;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Presets;

/// <summary>
/// The rule that turns the catalogue into each <see cref="AnalysisMode"/>'s globalconfig, and the
/// text of those files. Kept to what the catalogue declares (severity and CWE tags), so a new rule
/// lands in every preset with no list to update.
/// </summary>
public static class AnalysisModePresets
{
    /// <summary>
    /// The 2024 CWE Top 25 Most Dangerous Software Weaknesses. Minimal keeps an Error rule when one of
    /// its CWE tags is here: an outside list of weaknesses that are exploited in practice, rather than
    /// our own opinion of which rules matter.
    /// </summary>
    public static readonly FrozenSet<string> TopWeaknesses = FrozenSet.ToFrozenSet(
    [
        "CWE-79", "CWE-787", "CWE-89", "CWE-352", "CWE-22", "CWE-125", "CWE-78", "CWE-416", "CWE-862",
        "CWE-434", "CWE-94", "CWE-20", "CWE-77", "CWE-287", "CWE-269", "CWE-502", "CWE-200", "CWE-863",
        "CWE-918", "CWE-119", "CWE-476", "CWE-798", "CWE-190", "CWE-400", "CWE-306",
    ], StringComparer.Ordinal);

    /// <summary>
    /// Below every user setting: a project's own .globalconfig is level 100, and .editorconfig entries
    /// win over any globalconfig. The SDK's AnalysisMode files use the same level.
    /// </summary>
    public const int GlobalLevel = -100;

    public static string FileName(AnalysisMode mode) => "mcpsecurity_" + mode.ToString().ToLowerInvariant() + ".globalconfig";

    /// <summary>The severity <paramref name="mode"/> gives <paramref name="rule"/>, as an editorconfig value.</summary>
    public static string SeverityOf(AnalysisMode mode, DiagnosticDescriptor rule) => mode switch
    {
        AnalysisMode.Recommended => EditorConfigValue(rule.DefaultSeverity),
        AnalysisMode.Strict => "error",
        AnalysisMode.Minimal => IsInMinimal(rule) ? "error" : "none",
        AnalysisMode.None => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    public static bool IsInMinimal(DiagnosticDescriptor rule)
        => rule.DefaultSeverity == DiagnosticSeverity.Error && rule.CustomTags.Any(TopWeaknesses.Contains);

    /// <summary>
    /// The file for <paramref name="mode"/>. Strict and None set the McpSecurity category, not each ID:
    /// an ID entry in a globalconfig wins over a category entry in .editorconfig, so ID entries would
    /// stop a user's <c>dotnet_analyzer_diagnostic.category-McpSecurity.severity</c> from working.
    /// Recommended sets nothing (the catalogue defaults); Minimal turns the category off and names the
    /// rules it keeps. Every rule is listed in a comment with the severity it ends up with.
    /// </summary>
    public static string Render(AnalysisMode mode, IEnumerable<DiagnosticDescriptor> rules)
    {
        var text = new StringBuilder();
        text.Append("# McpSecurityAnalysisMode = ").Append(mode).Append(": ").Append(Summary(mode)).Append('\n')
            .Append("# Generated from the McpSecurity rule catalogue when the package was packed; do not edit.\n")
            .Append("# Your .editorconfig and .globalconfig entries override these (global_level ").Append(GlobalLevel).Append(").\n\n")
            .Append("is_global = true\n")
            .Append("global_level = ").Append(GlobalLevel).Append("\n\n");

        var category = mode switch
        {
            AnalysisMode.Strict => "error",
            AnalysisMode.Minimal or AnalysisMode.None => "none",
            _ => null,
        };
        if (category is not null)
        {
            text.Append("dotnet_analyzer_diagnostic.category-").Append(RuleCatalog.Category).Append(".severity = ").Append(category).Append("\n\n");
        }

        foreach (var rule in rules.OrderBy(rule => rule.Id, StringComparer.Ordinal))
        {
            var severity = SeverityOf(mode, rule);
            text.Append("# ").Append(rule.Id).Append(": ").Append(rule.Title).Append(" (")
                .Append(string.Join(", ", rule.CustomTags.Where(tag => tag.StartsWith("CWE-", StringComparison.Ordinal))))
                .Append("): ").Append(severity).Append('\n');
            if (mode == AnalysisMode.Minimal && severity != category)
            {
                text.Append("dotnet_diagnostic.").Append(rule.Id).Append(".severity = ").Append(severity).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Summary(AnalysisMode mode) => mode switch
    {
        AnalysisMode.Recommended => "each rule at its default severity.",
        AnalysisMode.Strict => "every rule is an error.",
        AnalysisMode.Minimal => "only the Error rules whose weakness is in the CWE Top 25 (2024); the others are off.",
        _ => "every rule is off.",
    };

    private static string EditorConfigValue(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "suggestion",
        _ => "silent",
    };
}
