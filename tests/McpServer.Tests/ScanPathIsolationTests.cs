using McpSecurity.Server.Engine;
using McpSecurity.Server.Hosting;
using McpSecurity.Server.Tools;
using ModelContextProtocol;

namespace McpSecurity.Server.Tests;

/// <summary>scan_path over MCP: projects are read, never built; nothing leaves or is written into the workspace.</summary>
public sealed class ScanPathIsolationTests : IDisposable
{
    private readonly TempFolder workspace = new();
    private readonly TempFolder outside = new();

    public void Dispose()
    {
        workspace.Dispose();
        outside.Dispose();
    }

    private SecurityTools Tools(int scanTimeoutSeconds = 60)
    {
        var settings = new ServerSettings { WorkspaceRoot = workspace.Path, ScanTimeoutSeconds = scanTimeoutSeconds };
        return new SecurityTools(new InProcessScans(new CodeEngine(), settings), settings, new ProgramRunner(settings));
    }

    private const string ProjectWithExecTarget = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
          <Target Name="Leak" BeforeTargets="CollectPackageReferences;ResolveAssemblyReferences;CoreCompile;Build" >
            <Exec Command="echo leaked &gt; $(MSBuildProjectDirectory)/leaked.txt" />
          </Target>
        </Project>
        """;

    [Fact]
    public async Task Scan_path_of_a_project_runs_none_of_its_targets_and_writes_nothing()
    {
        workspace.Write("App/App.csproj", ProjectWithExecTarget);
        workspace.Write("App/Tools.cs", Samples.Vulnerable);
        var before = Directory.EnumerateFileSystemEntries(workspace.Path, "*", SearchOption.AllDirectories).Order().ToList();

        var result = await Tools().ScanPath("App/App.csproj");

        Assert.Equal(["App/Tools.cs", "App/Tools.cs"], result.Findings.Select(f => f.File));
        Assert.Equal(before, Directory.EnumerateFileSystemEntries(workspace.Path, "*", SearchOption.AllDirectories).Order().ToList());
    }

    [Fact]
    public async Task A_project_gets_its_default_sources_minus_bin_obj_and_removed_items_plus_literal_includes()
    {
        workspace.Write("App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <Compile Remove="Skipped.cs" />
                <Compile Include="..\Shared\Shared.cs" />
                <Compile Include="..\..\Outside.cs" />
              </ItemGroup>
            </Project>
            """);
        workspace.Write("App/Tools.cs", Samples.Vulnerable);
        workspace.Write("App/Skipped.cs", Samples.Vulnerable);
        workspace.Write("App/obj/Generated.cs", Samples.Vulnerable);
        workspace.Write("App/bin/Copied.cs", Samples.Vulnerable);
        workspace.Write("Shared/Shared.cs", Samples.Vulnerable);

        var result = await Tools().ScanPath("App/App.csproj");

        Assert.Equal(["App/Tools.cs", "Shared/Shared.cs"], result.Findings.Select(f => f.File).Distinct());
        Assert.Equal(2, result.FilesScanned);
    }

    [Fact]
    public async Task A_project_without_default_items_gets_only_its_wildcard_includes()
    {
        workspace.Write("App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><EnableDefaultCompileItems>false</EnableDefaultCompileItems></PropertyGroup>
              <ItemGroup><Compile Include="Included\**\*.cs" /></ItemGroup>
            </Project>
            """);
        workspace.Write("App/NotIncluded.cs", Samples.Vulnerable);
        workspace.Write("App/Included/Deeper/Tools.cs", Samples.Vulnerable);

        var result = await Tools().ScanPath("App/App.csproj");

        Assert.Equal(["App/Included/Deeper/Tools.cs"], result.Findings.Select(f => f.File).Distinct());
    }

    [Fact]
    public async Task A_project_item_that_is_a_symlink_out_of_the_workspace_is_not_read()
    {
        var secret = outside.Write("Secret.cs", Samples.Vulnerable);
        workspace.Write("App/App.csproj", """<Project><ItemGroup><Compile Include="Link.cs" /><Compile Include="Tools.cs" /></ItemGroup></Project>""");
        workspace.Write("App/Tools.cs", Samples.Clean);
        File.CreateSymbolicLink(Path.Combine(workspace.Path, "App", "Link.cs"), secret);

        var result = await Tools().ScanPath("App/App.csproj");

        Assert.Empty(result.Findings);
        Assert.Equal(1, result.FilesScanned);
    }

    [Fact]
    public async Task A_solution_loads_only_the_projects_inside_the_workspace()
    {
        outside.Write("Out/Out.csproj", """<Project Sdk="Microsoft.NET.Sdk" />""");
        outside.Write("Out/Tools.cs", Samples.Vulnerable);
        var outsideProject = Path.GetRelativePath(workspace.Path, Path.Combine(outside.Path, "Out", "Out.csproj")).Replace('/', '\\');
        workspace.Write("App/App.csproj", """<Project Sdk="Microsoft.NET.Sdk" />""");
        workspace.Write("App/Tools.cs", Samples.Vulnerable);
        workspace.Write("All.sln", $"""
            Microsoft Visual Studio Solution File, Format Version 12.00
            Project("{"{"}FAE04EC0-301F-11D3-BF4B-00C04F79EFBC{"}"}") = "App", "App\App.csproj", "{"{"}11111111-1111-1111-1111-111111111111{"}"}"
            EndProject
            Project("{"{"}FAE04EC0-301F-11D3-BF4B-00C04F79EFBC{"}"}") = "Out", "{outsideProject}", "{"{"}22222222-2222-2222-2222-222222222222{"}"}"
            EndProject
            """);
        workspace.Write("All.slnx", $"""<Solution><Project Path="App/App.csproj" /><Project Path="{outsideProject}" /></Solution>""");

        var sln = await Tools().ScanPath("All.sln");
        var slnx = await Tools().ScanPath("All.slnx");

        Assert.Equal(["App/Tools.cs"], sln.Findings.Select(f => f.File).Distinct());
        Assert.Equal(["App/Tools.cs"], slnx.Findings.Select(f => f.File).Distinct());
    }

    [Fact]
    public async Task A_project_file_with_a_DTD_is_refused()
    {
        workspace.Write("App/App.csproj", """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Project>&e;</Project>""");

        var error = await Assert.ThrowsAsync<McpException>(() => Tools().ScanPath("App/App.csproj"));

        Assert.DoesNotContain("root:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limit_errors_name_the_limit_its_value_and_what_was_found()
    {
        var brackets = await Assert.ThrowsAsync<McpException>(() => Tools().ScanCode(ScanIsolationStdioTests.NestedParentheses(1_000)));
        var depth = await Assert.ThrowsAsync<McpException>(() => Tools().ScanCode(ScanIsolationStdioTests.NestedParentheses(500)));
        var interpolation = await Assert.ThrowsAsync<McpException>(() => Tools().FixCode(ScanIsolationStdioTests.NestedInterpolation(6)));

        Assert.Equal("Input.cs: 1001 is past the bracket nesting limit of 1000; the scan was refused before any analysis.", brackets.Message);
        Assert.Equal("Input.cs: 505 is past the syntax depth limit of 300; the scan was refused before any analysis.", depth.Message);
        Assert.Equal("Input.cs: 6 is past the interpolated string nesting limit of 4; the scan was refused before any analysis.", interpolation.Message);
    }

    [Fact]
    public async Task Code_as_deep_as_the_limits_allow_still_scans()
    {
        var result = await Tools().ScanCode(ScanIsolationStdioTests.NestedParentheses(290).Replace("int M() =>", "int M() { try { } catch { } return", StringComparison.Ordinal).Replace("; }", "; } }", StringComparison.Ordinal));

        Assert.Contains(result.Findings, finding => finding.Id == "MCPSEC201");
    }

    [Fact]
    public async Task A_scan_past_its_time_budget_is_stopped_with_an_error_naming_the_budget()
    {
        var error = await Assert.ThrowsAsync<McpException>(() => Tools(scanTimeoutSeconds: 0).ScanCode(Samples.Vulnerable));

        Assert.Contains("time budget of 0 s (McpServer:ScanTimeoutSeconds)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_request_stops_the_engine()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        using var sources = SourceSet.FromText(Samples.Vulnerable, "Input.cs");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new CodeEngine().ScanAsync(sources, Microsoft.CodeAnalysis.DiagnosticSeverity.Info, null, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Tools().ScanCode(Samples.Vulnerable, cancellationToken: cancelled.Token));
    }

    [Theory]
    [InlineData(250_000)]
    public async Task Nesting_as_deep_as_the_largest_accepted_source_allows_is_parsed_on_the_large_stack_and_refused(int levels)
    {
        // 250,000 prefix operators fit in the 512 KB source cap and parse in linear time, but Roslyn's
        // parser recurses per level: on an ordinary thread that overflows and aborts the process.
        var error = await Assert.ThrowsAsync<McpException>(() => Tools().ScanCode(ScanIsolationStdioTests.NestedNegations(levels)));

        Assert.Contains("syntax depth limit", error.Message, StringComparison.Ordinal);
    }
}
