using McpSecurity.Analyzers.Baseline;

namespace McpSecurity.Analyzers.Tests.Baseline;

public sealed class BaselineFileTests
{
    private static readonly BaselineEntry Second = new("src/B.cs", "M:B.Run", "MCPSEC401", 0, "Process.Start(\"bash\", \"-c \" + command);");
    private static readonly BaselineEntry First = new("src/A.cs", "M:A.Read(string)", "MCPSEC202", 1, "catch (Exception) { return null; }");

    [Fact]
    public void Written_file_has_a_versioned_header_and_one_sorted_line_per_entry_and_reads_back()
    {
        var text = BaselineFile.Write([Second, First, First]);
        var lines = text.TrimEnd('\n').Split('\n');

        Assert.StartsWith("# McpSecurity baseline, format 1", lines[0], StringComparison.Ordinal);
        Assert.Equal(["src/A.cs\tM:A.Read(string)\tMCPSEC202\t1\tcatch (Exception) { return null; }", Second.ToString()], lines.Where(line => !line.StartsWith('#')));
        Assert.True(BaselineFile.TryParse(text, out var parsed, out var error), error);
        Assert.Equal([First, Second], parsed!.Entries.ToArray());
    }

    [Fact]
    public void Reads_windows_line_ends_and_skips_comments_and_blank_lines()
    {
        var text = "# McpSecurity baseline, format 1\r\n\r\n# a note\r\n" + First + "\r\n";

        Assert.True(BaselineFile.TryParse(text, out var parsed, out var error), error);
        Assert.Equal([First], parsed!.Entries.ToArray());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{ \"version\": 1 }\n", "line 1: not a McpSecurity baseline")]
    [InlineData("# McpSecurity baseline, format 2\n", "line 1: baseline format '2' is not format 1")]
    [InlineData("# McpSecurity baseline, format 1\nsrc/A.cs\tM:A.Read\tMCPSEC202\t0\n", "line 2: expected 5 tab-separated fields")]
    [InlineData("# McpSecurity baseline, format 1\nsrc/A.cs\tM:A.Read\tMCPSEC202\tfirst\tcatch { }\n", "line 2: the occurrence 'first' is not a whole number")]
    [InlineData("# McpSecurity baseline, format 1\n\tM:A.Read\tMCPSEC202\t0\tcatch { }\n", "line 2: the file, member and rule fields must not be empty")]
    public void Malformed_file_is_refused_with_the_line_and_the_reason(string text, string expected)
    {
        Assert.False(BaselineFile.TryParse(text, out var parsed, out var error));
        Assert.Null(parsed);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
