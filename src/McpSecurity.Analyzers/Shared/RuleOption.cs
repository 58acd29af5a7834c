using System.Collections.Immutable;

namespace McpSecurity.Analyzers.Shared;

/// <summary>
/// A setting read from <c>.editorconfig</c> or <c>.globalconfig</c>. Declared once, next to the rules
/// that read it, so the documentation test can check that each rule's page explains its options.
/// </summary>
public sealed class RuleOption
{
    public RuleOption(string key, string defaultValue, string description, params string[] ruleIds)
    {
        Key = key;
        DefaultValue = defaultValue;
        Description = description;
        RuleIds = ImmutableArray.Create(ruleIds);
    }

    /// <summary>The configuration key, e.g. <c>mcpsec.tool_attributes</c>.</summary>
    public string Key { get; }

    /// <summary>The value used when the key is absent, as it would be written in the file.</summary>
    public string DefaultValue { get; }

    public string Description { get; }

    /// <summary>The rules whose behaviour the option changes.</summary>
    public ImmutableArray<string> RuleIds { get; }
}
