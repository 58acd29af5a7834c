using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpSecurity.Analyzers.Shared;

/// <summary>
/// The one place rule options are read. A value set for the file (an <c>.editorconfig</c> section)
/// wins over one set for the whole compilation (<c>.globalconfig</c> or an editorconfig's global
/// section); an absent key gives the option's default.
/// </summary>
internal static class RuleOptionReader
{
    public static string GetString(AnalyzerConfigOptionsProvider provider, SyntaxTree? tree, RuleOption option)
    {
        if (tree is not null
            && provider.GetOptions(tree).TryGetValue(option.Key, out var perFile)
            && !string.IsNullOrWhiteSpace(perFile))
        {
            return perFile.Trim();
        }

        if (provider.GlobalOptions.TryGetValue(option.Key, out var global) && !string.IsNullOrWhiteSpace(global))
        {
            return global.Trim();
        }

        return option.DefaultValue;
    }

    public static string GetString(AnalyzerOptions options, SyntaxTree? tree, RuleOption option)
        => GetString(options.AnalyzerConfigOptionsProvider, tree, option);

    /// <summary>
    /// A comma- or semicolon-separated list. A leading <c>+</c> on the first item appends the listed
    /// items to the default instead of replacing it (<c>mcpsec.x = +MyAttribute</c>).
    /// </summary>
    public static ImmutableArray<string> GetList(AnalyzerConfigOptionsProvider provider, SyntaxTree? tree, RuleOption option)
    {
        var raw = GetString(provider, tree, option);
        var items = Split(raw);
        if (raw.StartsWith("+", StringComparison.Ordinal))
        {
            return Split(option.DefaultValue).AddRange(items);
        }

        return items;
    }

    public static ImmutableArray<string> GetList(AnalyzerOptions options, SyntaxTree? tree, RuleOption option)
        => GetList(options.AnalyzerConfigOptionsProvider, tree, option);

    public static bool GetBool(AnalyzerConfigOptionsProvider provider, SyntaxTree? tree, RuleOption option)
    {
        var raw = GetString(provider, tree, option);
        return bool.TryParse(raw, out var value) ? value : bool.Parse(option.DefaultValue);
    }

    private static ImmutableArray<string> Split(string raw)
    {
        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var part in raw.TrimStart('+').Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var item = part.Trim();
            if (item.Length > 0)
            {
                builder.Add(item);
            }
        }

        return builder.ToImmutable();
    }
}
