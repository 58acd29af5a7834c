using System.Text.Json;

namespace McpSecurity.Server.Tests;

/// <summary>The command line as a user runs it: the real process, its exit codes, its outputs.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Scan_exits_1_with_findings_in_compiler_format()
    {
        using var folder = new TempFolder();
        var file = folder.Write("Tools.cs", Samples.Vulnerable);

        var outcome = await ServerProcess.RunAsync(["scan", file]);

        Assert.True(outcome.ExitCode == 1, ServerProcess.Describe(outcome));
        Assert.Contains("Tools.cs(8,9): error MCPSEC201", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("error MCPSEC202", outcome.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_exits_0_on_clean_code()
    {
        using var folder = new TempFolder();
        folder.Write("Tools.cs", Samples.Clean);

        var outcome = await ServerProcess.RunAsync(["scan", folder.Path]);

        Assert.True(outcome.ExitCode == 0, ServerProcess.Describe(outcome));
        Assert.Contains("0 findings in 1 file.", outcome.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_of_loose_files_binds_the_types_of_the_sdks_implicit_usings()
    {
        // No using directives: in a project with ImplicitUsings (every new project) 'Exception' and
        // 'List<T>' bind through the SDK's generated global usings, and the scan must bind them too.
        using var folder = new TempFolder();
        folder.Write("Tools.cs", """
            public static class Tools
            {
                public static List<int> Parse(string[] lines)
                {
                    var values = new List<int>();
                    foreach (var line in lines)
                    {
                        try { values.Add(int.Parse(line)); }
                        catch (Exception) { continue; }
                    }

                    return values;
                }
            }
            """);

        var outcome = await ServerProcess.RunAsync(["scan", folder.Path]);

        Assert.True(outcome.ExitCode == 1, ServerProcess.Describe(outcome));
        Assert.Contains("Tools.cs(9,13): error MCPSEC202", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1 finding in 1 file.", outcome.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_of_a_missing_path_exits_2_and_writes_nothing()
    {
        using var folder = new TempFolder();
        var report = Path.Combine(folder.Path, "report.json");

        var outcome = await ServerProcess.RunAsync(["scan", Path.Combine(folder.Path, "missing"), "--format", "json", "--output", report]);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("Path not found", outcome.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(report));
        Assert.Equal(string.Empty, outcome.StandardOutput);
    }

    [Theory]
    [InlineData("scan")]
    [InlineData("scan x.cs --format xml")]
    [InlineData("scan x.cs --severity critical")]
    [InlineData("frobnicate")]
    [InlineData("serve")]
    public async Task Usage_errors_exit_2_not_1(string commandLine)
    {
        var outcome = await ServerProcess.RunAsync(commandLine.Split(' '));

        Assert.True(outcome.ExitCode == 2, ServerProcess.Describe(outcome));
        Assert.Contains("error:", outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_of_an_unloadable_project_exits_2()
    {
        using var folder = new TempFolder();
        var project = folder.Write("Broken.csproj", "<Project><this is not xml");

        var outcome = await ServerProcess.RunAsync(["scan", project]);

        Assert.True(outcome.ExitCode == 2, ServerProcess.Describe(outcome));
        Assert.Contains("Could not load", outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_writes_json_and_sarif_reports()
    {
        using var folder = new TempFolder();
        folder.Write("Tools.cs", Samples.Vulnerable);
        var json = Path.Combine(folder.Path, "report.json");
        var sarif = Path.Combine(folder.Path, "report.sarif");

        var jsonRun = await ServerProcess.RunAsync(["scan", folder.Path, "--format", "json", "--output", json]);
        var sarifRun = await ServerProcess.RunAsync(["scan", folder.Path, "--format", "sarif", "--output", sarif]);

        Assert.Equal(1, jsonRun.ExitCode);
        Assert.Equal(1, sarifRun.ExitCode);
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var ids = report.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToList();
        Assert.Equal(["MCPSEC201", "MCPSEC202"], ids);
        using var log = JsonDocument.Parse(File.ReadAllText(sarif));
        Assert.Equal("2.1.0", log.RootElement.GetProperty("version").GetString());
        var results = log.RootElement.GetProperty("runs")[0].GetProperty("results");
        Assert.Equal(2, results.GetArrayLength());
        Assert.Equal(8, results[0].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32());
        var rule = log.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules")
            .EnumerateArray().Single(r => r.GetProperty("id").GetString() == "MCPSEC201");
        Assert.Equal(["security", "CWE-396"], rule.GetProperty("properties").GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()));
    }

    [Fact]
    public async Task Severity_error_ignores_warnings()
    {
        using var folder = new TempFolder();
        folder.Write("Tools.cs", """
            using System;
            public class Tools
            {
                public string Parse(string text)
                {
                    try { return int.Parse(text).ToString(); }
                    catch (FormatException ex) { return ex.Message; }
                }
            }
            """);

        var warnings = await ServerProcess.RunAsync(["scan", folder.Path]);
        var errors = await ServerProcess.RunAsync(["scan", folder.Path, "--severity", "error"]);

        Assert.True(warnings.ExitCode == 1, ServerProcess.Describe(warnings));
        Assert.Contains("MCPSEC203", warnings.StandardOutput, StringComparison.Ordinal);
        Assert.True(errors.ExitCode == 0, ServerProcess.Describe(errors));
    }

    [Fact]
    public async Task Scan_and_fix_of_a_folder_honour_its_editorconfig_files()
    {
        // As the compiler does for a project: every .editorconfig from the file up to 'root = true',
        // the nearer one winning; one above the root one does not apply.
        using var folder = new TempFolder();
        folder.Write(".editorconfig", "[*.cs]\ndotnet_diagnostic.MCPSEC101.severity = none\n");
        folder.Write("repo/.editorconfig", "root = true\n\n[*.cs]\nindent_size = 2\ndotnet_diagnostic.MCPSEC202.severity = none\n");
        folder.Write("repo/src/.editorconfig", "[*.cs]\nmcpsec.secret_words = +pin\n");
        folder.Write("repo/src/A.cs", """
            using System;

            public class A
            {
              public string Pin = "1234";

              public int? Parse(string s)
              {
                try
                {
                  return int.Parse(s);
                }
                catch
                {
                  return null;
                }
              }

              public bool Check(string s)
              {
                try { return int.Parse(s) > 0; }
                catch (Exception) { return false; }
              }
            }
            """);

        var scan = await ServerProcess.RunAsync(["scan", System.IO.Path.Combine(folder.Path, "repo")]);
        var fix = await ServerProcess.RunAsync(["fix", System.IO.Path.Combine(folder.Path, "repo"), "--dry-run", "--rule", "MCPSEC201"]);

        Assert.True(scan.ExitCode == 1, ServerProcess.Describe(scan));
        Assert.Contains("A.cs(5,23): error MCPSEC101", scan.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("A.cs(13,5): error MCPSEC201", scan.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("MCPSEC202", scan.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\n+      throw;\n", fix.StandardOutput.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fix_dry_run_prints_a_diff_and_writes_nothing()
    {
        using var folder = new TempFolder();
        var file = folder.Write("Tools.cs", Samples.Vulnerable);

        var outcome = await ServerProcess.RunAsync(["fix", folder.Path, "--dry-run"]);

        Assert.Equal(Samples.Vulnerable, File.ReadAllText(file));
        Assert.Contains("-        catch { return 0; }", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("+++ b/", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("@@ -", outcome.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fix_rewrites_the_files_and_a_rescan_is_clean()
    {
        using var folder = new TempFolder();
        var file = folder.Write("Tools.cs", Samples.Vulnerable);

        var fix = await ServerProcess.RunAsync(["fix", folder.Path]);
        var rescan = await ServerProcess.RunAsync(["scan", folder.Path]);

        Assert.True(fix.ExitCode == 0, ServerProcess.Describe(fix));
        Assert.NotEqual(Samples.Vulnerable, File.ReadAllText(file));
        Assert.True(rescan.ExitCode == 0, ServerProcess.Describe(rescan));
    }

    private const string LoggedSwallowingHandlerAndKeyMaterial = """
        using System;
        using System.Net.Http.Headers;
        using Microsoft.Extensions.Logging;

        public class Tools(ILogger<Tools> logger)
        {
            public int Parse(string text)
            {
                try
                {
                    return int.Parse(text);
                }
                catch (Exception)
                {
                    return -1;
                }
            }

            public AuthenticationHeaderValue Header() => new AuthenticationHeaderValue("Basic", "YWRtaW46YWRtaW4xMjM=");
        }
        """;

    [Fact]
    public async Task Fix_keeps_the_fallback_by_default_and_applies_another_action_with_action()
    {
        using var folder = new TempFolder();
        folder.Write("Tools.cs", LoggedSwallowingHandlerAndKeyMaterial);

        var kept = await ServerProcess.RunAsync(["fix", folder.Path, "--rule", "MCPSEC202", "--dry-run"]);
        var rethrown = await ServerProcess.RunAsync(["fix", folder.Path, "--rule", "MCPSEC202", "--dry-run", "--action", "MCPSEC202.Rethrow"]);

        Assert.True(kept.ExitCode == 0, ServerProcess.Describe(kept));
        Assert.Contains("+            logger.LogError(ex, \"Parse failed\");", kept.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("throw;", kept.StandardOutput, StringComparison.Ordinal);
        Assert.True(rethrown.ExitCode == 0, ServerProcess.Describe(rethrown));
        Assert.Contains("+            throw;", rethrown.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("LogError", rethrown.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fix_reports_each_unfixed_finding_at_the_line_the_scan_reported_with_the_reason()
    {
        using var folder = new TempFolder();
        folder.Write("Tools.cs", LoggedSwallowingHandlerAndKeyMaterial);

        var scan = await ServerProcess.RunAsync(["scan", folder.Path]);
        var fix = await ServerProcess.RunAsync(["fix", folder.Path]);

        // The fix above it added a line: the finding moved, the report still names the line the scan did.
        var scanned = System.Text.RegularExpressions.Regex.Match(scan.StandardOutput, @"Tools\.cs\((\d+),(\d+)\): error MCPSEC103");
        Assert.True(scanned.Success, ServerProcess.Describe(scan));
        Assert.True(fix.ExitCode == 1, ServerProcess.Describe(fix));
        Assert.Matches(
            $@"not fixed: \S*Tools\.cs\({scanned.Groups[1].Value},{scanned.Groups[2].Value}\): MCPSEC103: the rule has no code fix",
            fix.StandardError);
        Assert.Contains("logger.LogError(ex", File.ReadAllText(Path.Combine(folder.Path, "Tools.cs")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fix_with_rule_fixes_only_that_rule()
    {
        using var folder = new TempFolder();
        folder.Write("Tools.cs", Samples.Vulnerable);

        var fix = await ServerProcess.RunAsync(["fix", folder.Path, "--rule", "MCPSEC201"]);
        var rescan = await ServerProcess.RunAsync(["scan", folder.Path]);

        Assert.True(fix.ExitCode == 0, ServerProcess.Describe(fix));
        Assert.DoesNotContain("MCPSEC201", rescan.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("MCPSEC202", rescan.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_lists_the_catalogue_and_explains_one_rule()
    {
        var list = await ServerProcess.RunAsync(["rules"]);
        var one = await ServerProcess.RunAsync(["rules", "mcpsec202"]);
        var unknown = await ServerProcess.RunAsync(["rules", "MCPSEC999"]);

        foreach (var rule in McpSecurity.Analyzers.RuleCatalog.All)
        {
            Assert.Contains(rule.Id, list.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Contains("MCPSEC202: Catch-all swallows the failure", one.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
    }

    [Fact]
    public async Task Token_mints_a_three_part_HS256_jwt()
    {
        var outcome = await ServerProcess.RunAsync(
            ["token", "--subject", "ci", "--scope", "mcp:tools", "--ttl", "00:10:00"],
            new Dictionary<string, string?> { ["SECRET_KEY"] = new string('s', 40) });

        Assert.True(outcome.ExitCode == 0, ServerProcess.Describe(outcome));
        var token = outcome.StandardOutput.Trim();
        Assert.Equal(3, token.Split('.').Length);
        var header = System.Text.Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(token.Split('.')[0]));
        Assert.Contains("\"HS256\"", header, StringComparison.Ordinal);
    }
}

/// <summary>Project-level behaviour through MSBuildWorkspace: the gate on the server itself, and fix's write boundary.</summary>
public sealed class ProjectScanTests
{
    [Fact]
    public async Task The_servers_own_project_scans_clean()
    {
        var outcome = await ServerProcess.RunAsync(["scan", Path.Combine("src", "McpServer", "McpServer.csproj"), "--severity", "info"]);

        Assert.True(outcome.ExitCode == 0, ServerProcess.Describe(outcome));
        Assert.Contains("0 findings", outcome.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fix_never_writes_a_linked_file_outside_the_given_project_folder()
    {
        using var folder = new TempFolder();
        var outside = folder.Write("outside/Linked.cs", Samples.Vulnerable);
        var inside = folder.Write("app/Inside.cs", Samples.Vulnerable.Replace("class Tools", "class InsideTools", StringComparison.Ordinal));
        var project = folder.Write("app/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <Compile Include="../outside/Linked.cs" Link="Linked.cs" />
              </ItemGroup>
            </Project>
            """);

        var outcome = await ServerProcess.RunAsync(["fix", project]);

        Assert.Equal(1, outcome.ExitCode);

        Assert.Equal(Samples.Vulnerable, File.ReadAllText(outside));
        Assert.NotEqual(Samples.Vulnerable.Replace("class Tools", "class InsideTools", StringComparison.Ordinal), File.ReadAllText(inside));
        Assert.Contains("not written (outside the given paths)", outcome.StandardError, StringComparison.Ordinal);
    }
}
