using McpSecurity.Analyzers.Baseline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace McpSecurity.Analyzers.Tests.Baseline;

/// <summary>
/// A baseline entry must name the same finding after the file is edited elsewhere, and a different
/// one when the finding's own code or member changes: otherwise adopting the baseline either breaks
/// the build on the next unrelated commit or hides new findings.
/// </summary>
public sealed class FindingFingerprintTests
{
    private const string Repository = "/repo";
    private const string FilePath = "/repo/src/Tools/Mail.cs";

    private const string Original = """
        namespace Acme.Tools;

        public sealed class Mail
        {
            public string? Read(string path, int retries)
            {
                try { return System.IO.File.ReadAllText(path); }
                catch (System.Exception) { return null; }
            }

            public void Other() { }
        }
        """;

    [Fact]
    public void Names_rule_relative_file_member_snippet_and_first_occurrence()
    {
        var entry = FingerprintOf(Original, "catch (System.Exception)");

        Assert.Equal("MCPSEC202", entry.RuleId);
        Assert.Equal("src/Tools/Mail.cs", entry.File);
        Assert.Equal("M:Acme.Tools.Mail.Read(string,int)", entry.Symbol);
        Assert.Equal("catch (System.Exception) { return null; }", entry.Snippet);
        Assert.Equal(0, entry.Occurrence);
    }

    [Fact]
    public void Survives_lines_added_above_the_member_and_a_reindented_finding()
    {
        var moved = Original
            .Replace("namespace Acme.Tools;\n", "namespace Acme.Tools;\n\nusing System;\nusing System.IO;\n\n// A comment that moves every line down.\n", StringComparison.Ordinal)
            .Replace("        catch (System.Exception) { return null; }", "            catch   (System.Exception)\t{ return null; }", StringComparison.Ordinal);

        Assert.Equal(FingerprintOf(Original, "catch (System.Exception)"), FingerprintOf(moved, "catch   (System.Exception)"));
    }

    [Fact]
    public void Survives_edits_to_other_members_of_the_file()
    {
        var edited = Original.Replace(
            "public void Other() { }",
            "public void Other()\n    {\n        System.Console.WriteLine(\"more code\");\n    }\n\n    public int Added => 42;",
            StringComparison.Ordinal);

        Assert.Equal(FingerprintOf(Original, "catch (System.Exception)"), FingerprintOf(edited, "catch (System.Exception)"));
    }

    [Fact]
    public void Renaming_the_member_or_changing_its_parameters_makes_a_new_fingerprint()
    {
        var original = FingerprintOf(Original, "catch (System.Exception)");
        var renamed = FingerprintOf(Original.Replace("Read(string path, int retries)", "Load(string path, int retries)", StringComparison.Ordinal), "catch (System.Exception)");
        var overload = FingerprintOf(Original.Replace("Read(string path, int retries)", "Read(string path)", StringComparison.Ordinal), "catch (System.Exception)");

        Assert.NotEqual(original, renamed);
        Assert.Equal("M:Acme.Tools.Mail.Load(string,int)", renamed.Symbol);
        Assert.NotEqual(original, overload);
    }

    [Fact]
    public void Changing_the_finding_line_makes_a_new_fingerprint()
    {
        var changed = Original.Replace("{ return null; }", "{ return string.Empty; }", StringComparison.Ordinal);

        Assert.NotEqual(FingerprintOf(Original, "catch (System.Exception)"), FingerprintOf(changed, "catch (System.Exception)"));
    }

    [Fact]
    public void Two_identical_findings_in_one_member_get_occurrences_0_and_1()
    {
        const string twice = """
            class Mail
            {
                void Send()
                {
                    try { Step(); }
                    catch { }
                    try { Step(); }
                    catch { }
                }

                void Step() { }
            }
            """;

        var first = FingerprintOf(twice, "catch", occurrence: 0);
        var second = FingerprintOf(twice, "catch", occurrence: 1);

        Assert.Equal((first.File, first.Symbol, first.Snippet), (second.File, second.Symbol, second.Snippet));
        Assert.Equal(0, first.Occurrence);
        Assert.Equal(1, second.Occurrence);
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("class Outer { class Inner<T> { int Count { get { MARK(); return 0; } } } }", "P:Outer.Inner`1.Count")]
    [InlineData("namespace A.B { class C { C(ref int x, System.Collections.Generic.Dictionary<string, int> map) { MARK(); } } }", "M:A.B.C.#ctor(int@,System.Collections.Generic.Dictionary<string,int>)")]
    [InlineData("class C { static C() { MARK(); } }", "M:C.#cctor")]
    [InlineData("class C { void Run<T, U>() { MARK(); } }", "M:C.Run``2")]
    [InlineData("class C : System.IDisposable { void System.IDisposable.Dispose() { MARK(); } }", "M:C.System#IDisposable#Dispose")]
    [InlineData("class C { string key = MARK(), other = \"\"; }", "F:C.key,other")]
    [InlineData("class C { int this[int i] => MARK(); }", "P:C.Item(int)")]
    [InlineData("record R(string Name) { string Greeting => MARK(); }", "P:R.Greeting")]
    [InlineData("MARK(); class C { }", "M:<top-level statements>")]
    public void Member_is_named_like_a_documentation_comment_id(string source, string expected)
    {
        Assert.Equal(expected, FingerprintOf(source, "MARK").Symbol);
    }

    [Theory]
    [InlineData("/repo/src/A.cs", "/repo", "src/A.cs")]
    [InlineData("/repo/src/A.cs", "/repo/", "src/A.cs")]
    [InlineData(@"C:\repo\src\A.cs", @"C:\repo", "src/A.cs")]
    [InlineData("/repo/src/A.cs", "/repo/ci", "../src/A.cs")]
    [InlineData("/elsewhere/A.cs", "/repo", "/elsewhere/A.cs")]
    [InlineData(@"D:\other\A.cs", @"C:\repo", "D:/other/A.cs")]
    [InlineData("/repository/A.cs", "/repo", "/repository/A.cs")]
    public void File_is_relative_to_the_baseline_folder_with_forward_slashes(string file, string baseDirectory, string expected)
    {
        Assert.Equal(expected, FindingFingerprint.RelativePath(file, baseDirectory));
    }

    [Fact]
    public void Long_snippets_are_cut_to_the_maximum_length()
    {
        var source = "class C { void M() { MARK(\"" + new string('x', 400) + "\"); } }";

        Assert.Equal(FindingFingerprint.MaxSnippetLength, FingerprintOf(source, "MARK").Snippet.Length);
    }

    /// <summary>The fingerprint of an MCPSEC202 finding at the <paramref name="occurrence"/>-th <paramref name="marker"/>.</summary>
    internal static BaselineEntry FingerprintOf(string source, string marker, int occurrence = 0, string path = FilePath, string baseDirectory = Repository)
    {
        var tree = CSharpSyntaxTree.ParseText(SourceText.From(source), path: path);
        var start = -1;
        for (var i = 0; i <= occurrence; i++)
        {
            start = source.IndexOf(marker, start + 1, StringComparison.Ordinal);
            Assert.True(start >= 0, $"'{marker}' #{occurrence} not in the source.");
        }

        var diagnostic = Diagnostic.Create(RuleCatalog.CatchAllSwallowsFailure, Location.Create(tree, new TextSpan(start, marker.Length)), "Exception", "Read");
        var entry = FindingFingerprint.Of(diagnostic, baseDirectory, CancellationToken.None);
        Assert.NotNull(entry);
        return entry!;
    }
}
