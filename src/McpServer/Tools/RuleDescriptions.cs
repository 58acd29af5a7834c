using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Linq;
using McpSecurity.Analyzers;
using McpSecurity.Server.Engine;

namespace McpSecurity.Server.Tools;

/// <summary>
/// What list_rules and explain_rule answer, built once: the catalogue never changes while the server runs,
/// and resolving localizable strings, fixers and options on every call was work repeated for nothing.
/// </summary>
public static class RuleDescriptions
{
    private static readonly Lazy<IReadOnlyList<RuleInfo>> Summaries = new(() => RuleCatalog.All
        .Select(rule => new RuleInfo(rule.Id, rule.Title.ToString(), rule.DefaultSeverity.ToString(), rule.Category, rule.HelpLinkUri, AnalyzerSet.FixersFor(rule.Id).Any()))
        .ToList());

    private static readonly Lazy<FrozenDictionary<string, RuleExplanation>> Explanations = new(() => RuleCatalog.All.ToFrozenDictionary(
        rule => rule.Id,
        rule => new RuleExplanation(
            rule.Id,
            rule.Title.ToString(),
            rule.DefaultSeverity.ToString(),
            rule.Description.ToString(),
            rule.MessageFormat.ToString(),
            rule.HelpLinkUri,
            AnalyzerSet.FixersFor(rule.Id).Any(),
            RuleCatalog.OptionsOf(rule.Id).Select(o => new OptionInfo(o.Key, o.DefaultValue, o.Description)).ToList(),
            RulePages.Find(rule.Id) ?? rule.Description.ToString()),
        StringComparer.OrdinalIgnoreCase));

    public static IReadOnlyList<RuleInfo> All => Summaries.Value;

    /// <summary>The rule with this ID (case-insensitive, surrounding spaces ignored), or null.</summary>
    public static RuleExplanation? Find(string? id)
        => id is not null && Explanations.Value.TryGetValue(id.Trim(), out var explanation) ? explanation : null;
}
