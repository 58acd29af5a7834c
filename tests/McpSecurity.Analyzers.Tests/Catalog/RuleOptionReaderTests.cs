using System.Diagnostics.CodeAnalysis;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpSecurity.Analyzers.Tests.Catalog;

/// <summary>The one reader of rule options: precedence, lists with '+', booleans, blanks and bad values.</summary>
public sealed class RuleOptionReaderTests
{
    private static readonly RuleOption ListOption = new("mcpsec.test_list", "A,B", "A test list.", "MCPSEC201");
    private static readonly RuleOption BoolOption = new("mcpsec.test_flag", "true", "A test flag.", "MCPSEC201");

    private static readonly SyntaxTree Tree = CSharpSyntaxTree.ParseText("class C { }", path: "/src/C.cs");

    [Fact]
    public void Absent_key_gives_the_default()
    {
        var provider = new Provider(global: [], perFile: []);

        Assert.Equal("A,B", RuleOptionReader.GetString(provider, Tree, ListOption));
        Assert.Equal(new[] { "A", "B" }, RuleOptionReader.GetList(provider, Tree, ListOption).ToArray());
    }

    [Fact]
    public void Global_value_replaces_the_default()
    {
        var provider = new Provider(global: new() { [ListOption.Key] = "X" }, perFile: []);

        Assert.Equal(new[] { "X" }, RuleOptionReader.GetList(provider, Tree, ListOption).ToArray());
    }

    [Fact]
    public void File_value_wins_over_the_global_value()
    {
        var provider = new Provider(global: new() { [ListOption.Key] = "X" }, perFile: new() { [ListOption.Key] = "Y" });

        Assert.Equal(new[] { "Y" }, RuleOptionReader.GetList(provider, Tree, ListOption).ToArray());
    }

    [Fact]
    public void Without_a_tree_only_the_global_value_counts()
    {
        var provider = new Provider(global: new() { [ListOption.Key] = "X" }, perFile: new() { [ListOption.Key] = "Y" });

        Assert.Equal(new[] { "X" }, RuleOptionReader.GetList(provider, tree: null, ListOption).ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_file_value_falls_back_to_the_global_value(string blank)
    {
        var provider = new Provider(global: new() { [ListOption.Key] = "X" }, perFile: new() { [ListOption.Key] = blank });

        Assert.Equal(new[] { "X" }, RuleOptionReader.GetList(provider, Tree, ListOption).ToArray());
    }

    [Fact]
    public void Leading_plus_appends_to_the_default()
    {
        var provider = new Provider(global: [], perFile: new() { [ListOption.Key] = "+C; D" });

        Assert.Equal(new[] { "A", "B", "C", "D" }, RuleOptionReader.GetList(provider, Tree, ListOption).ToArray());
    }

    [Fact]
    public void List_items_are_split_on_commas_and_semicolons_trimmed_and_empty_ones_dropped()
    {
        var provider = new Provider(global: [], perFile: new() { [ListOption.Key] = " C ,, D;;E ; " });

        Assert.Equal(new[] { "C", "D", "E" }, RuleOptionReader.GetList(provider, Tree, ListOption).ToArray());
    }

    [Theory]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData(" true ", true)]
    [InlineData("yes", true)] // not a boolean: the default, never an exception inside an analyzer
    [InlineData("0", true)]
    public void Boolean_values_parse_and_a_bad_value_gives_the_default(string value, bool expected)
    {
        var provider = new Provider(global: [], perFile: new() { [BoolOption.Key] = value });

        Assert.Equal(expected, RuleOptionReader.GetBool(provider, Tree, BoolOption));
    }

    [Fact]
    public void Keys_are_matched_as_the_editorconfig_parser_gives_them()
    {
        // The compiler lower-cases keys when it parses .editorconfig; ours are declared lower case.
        Assert.All(RuleCatalog.Options, option => Assert.Equal(option.Key.ToLowerInvariant(), option.Key));
    }

    private sealed class Provider(Dictionary<string, string> global, Dictionary<string, string> perFile) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(perFile);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options([]);
    }

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);

        public override IEnumerable<string> Keys => values.Keys;
    }
}
