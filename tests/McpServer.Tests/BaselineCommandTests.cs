namespace McpSecurity.Server.Tests;

/// <summary>
/// Adoption: <c>baseline</c> records today's findings, <c>scan</c> then reports only new ones, lists
/// entries that no longer match, and refuses a baseline it cannot read.
/// </summary>
public sealed class BaselineCommandTests
{
    private const string NewViolation = """
        public class Added
        {
            public void Send()
            {
                try { System.IO.File.Delete("x"); }
                catch { }
            }
        }

        """;

    [Fact]
    public async Task Scan_after_baseline_reports_nothing_until_a_new_violation_is_added()
    {
        using var folder = new TempFolder();
        var tools = folder.Write("Tools.cs", Samples.Vulnerable);

        var record = await ServerProcess.RunAsync(["baseline", folder.Path]);
        var before = await ServerProcess.RunAsync(["scan", folder.Path]);

        Assert.True(record.ExitCode == 0, ServerProcess.Describe(record));
        Assert.Contains("Recorded 2 findings", record.StandardError, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder.Path, "mcpsec.baseline")));
        Assert.True(before.ExitCode == 0, ServerProcess.Describe(before));
        Assert.Contains("0 findings", before.StandardOutput, StringComparison.Ordinal);
        var everything = await ServerProcess.RunAsync(["scan", folder.Path, "--no-baseline"]);
        Assert.True(everything.ExitCode == 1, ServerProcess.Describe(everything));
        Assert.Contains("2 findings", everything.StandardOutput, StringComparison.Ordinal);

        // The new class goes above the accepted code, so every accepted finding moves down.
        File.WriteAllText(tools, NewViolation + Samples.Vulnerable);
        var after = await ServerProcess.RunAsync(["scan", folder.Path]);

        Assert.True(after.ExitCode == 1, ServerProcess.Describe(after));
        var finding = Assert.Single(after.StandardOutput.Split('\n'), line => line.Contains(": error MCPSEC", StringComparison.Ordinal));
        Assert.Contains("Tools.cs(6,9): error MCPSEC201", finding, StringComparison.Ordinal);
        Assert.Contains("'Send'", finding, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Baseline_in_another_folder_names_files_relative_to_itself_and_is_used_with_the_option()
    {
        using var folder = new TempFolder();
        folder.Write("src/Tools.cs", Samples.Vulnerable);
        var baseline = Path.Combine(folder.Path, "ci", "accepted.baseline");
        Directory.CreateDirectory(Path.GetDirectoryName(baseline)!);

        var record = await ServerProcess.RunAsync(["baseline", Path.Combine(folder.Path, "src"), "--output", baseline]);
        var with = await ServerProcess.RunAsync(["scan", Path.Combine(folder.Path, "src"), "--baseline", baseline]);

        Assert.True(record.ExitCode == 0, ServerProcess.Describe(record));
        Assert.Contains("../src/Tools.cs\t", File.ReadAllText(baseline), StringComparison.Ordinal);
        Assert.True(with.ExitCode == 0, ServerProcess.Describe(with));
    }

    [Fact]
    public async Task Scan_lists_a_baseline_entry_whose_finding_was_fixed_as_stale()
    {
        using var folder = new TempFolder();
        var tools = folder.Write("Tools.cs", Samples.Vulnerable);
        await ServerProcess.RunAsync(["baseline", folder.Path]);

        File.WriteAllText(tools, Samples.Vulnerable.Replace("catch { return 0; }", "catch (FormatException) { return 0; }", StringComparison.Ordinal));
        var scan = await ServerProcess.RunAsync(["scan", folder.Path]);

        Assert.True(scan.ExitCode == 0, ServerProcess.Describe(scan));
        Assert.Contains("1 stale entry", scan.StandardError, StringComparison.Ordinal);
        var stale = Assert.Single(scan.StandardError.Split('\n'), line => line.StartsWith("stale baseline entry", StringComparison.Ordinal));
        Assert.Contains("Tools.cs: MCPSEC201 in M:Tools.Parse(string) (#0): catch { return 0; }", stale, StringComparison.Ordinal);

        // Recording again drops the stale entry: the file shrinks.
        var again = await ServerProcess.RunAsync(["baseline", folder.Path]);
        Assert.Contains("Recorded 1 finding", again.StandardError, StringComparison.Ordinal);
        Assert.Contains("(0 added, 1 removed)", again.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_with_a_baseline_that_does_not_parse_exits_2_and_names_the_line()
    {
        using var folder = new TempFolder();
        folder.Write("Tools.cs", Samples.Vulnerable);
        const string broken = "# McpSecurity baseline, format 1\nTools.cs\tM:Tools.Parse(string)\tMCPSEC201\n";
        var baseline = folder.Write("mcpsec.baseline", broken);

        var scan = await ServerProcess.RunAsync(["scan", folder.Path]);
        var record = await ServerProcess.RunAsync(["baseline", folder.Path]);

        Assert.True(scan.ExitCode == 2, ServerProcess.Describe(scan));
        Assert.Contains("does not parse: line 2: expected 5 tab-separated fields", scan.StandardError, StringComparison.Ordinal);
        Assert.Empty(scan.StandardOutput);
        Assert.True(record.ExitCode == 2, ServerProcess.Describe(record));
        Assert.Equal(broken, File.ReadAllText(baseline));
    }

    [Fact]
    public async Task Scan_with_both_baseline_options_exits_2()
    {
        using var folder = new TempFolder();
        folder.Write("Tools.cs", Samples.Vulnerable);
        var baseline = folder.Write("mcpsec.baseline", "# McpSecurity baseline, format 1\n");

        var scan = await ServerProcess.RunAsync(["scan", folder.Path, "--baseline", baseline, "--no-baseline"]);

        Assert.True(scan.ExitCode == 2, ServerProcess.Describe(scan));
        Assert.Contains("contradict", scan.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_with_a_missing_baseline_file_exits_2()
    {
        using var folder = new TempFolder();
        folder.Write("Tools.cs", Samples.Vulnerable);

        var scan = await ServerProcess.RunAsync(["scan", folder.Path, "--baseline", Path.Combine(folder.Path, "nope.baseline")]);

        Assert.True(scan.ExitCode == 2, ServerProcess.Describe(scan));
        Assert.Contains("Cannot read the baseline", scan.StandardError, StringComparison.Ordinal);
    }
}
