using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using McpSecurity.Package.Tests.Infrastructure;

namespace McpSecurity.Package.Tests;

/// <summary>
/// The server as users install it: <c>dotnet pack</c> makes a .NET tool that is also an MCP server
/// package, <c>dotnet tool install</c> puts <c>mcpsec</c> on disk, and that command scans and serves.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class ToolPackageTests(PackageFixture fixture)
{
    [Fact]
    public async Task Installed_tool_lists_the_rules_and_scans_a_file()
    {
        var tool = await fixture.InstalledTool;
        var work = Path.Combine(fixture.WorkRoot, "tool-scan");
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "Tools.cs"), ConsumerSources.BareAndSwallowingHandlers);

        var rules = await DotnetCli.RunToolAsync(tool.CommandPath, work, ["rules"]);
        var scan = await DotnetCli.RunToolAsync(tool.CommandPath, work, ["scan", "Tools.cs"]);

        Assert.True(rules.ExitCode == 0, rules.ToString());
        Assert.Contains("MCPSEC201", rules.Output, StringComparison.Ordinal);
        Assert.True(scan.ExitCode == 1, scan.ToString());
        Assert.Contains("error MCPSEC201", scan.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installed_tool_serves_MCP_over_stdio_as_its_server_json_starts_it()
    {
        var tool = await fixture.InstalledTool;
        var serverJson = ReadServerJson(tool.PackagePath);
        var arguments = serverJson.GetProperty("packages")[0].GetProperty("packageArguments").EnumerateArray()
            .Where(argument => argument.GetProperty("type").GetString() == "positional")
            .Select(argument => argument.GetProperty("value").GetString()!)
            .ToList();
        var startInfo = new ProcessStartInfo(tool.CommandPath)
        {
            WorkingDirectory = fixture.WorkRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        arguments.ForEach(startInfo.ArgumentList.Add);
        if (DotnetCli.DotnetRoot() is { } dotnetRoot)
        {
            startInfo.Environment["DOTNET_ROOT"] = dotnetRoot;
        }

        using var server = Process.Start(startInfo)!;
        try
        {
            server.ErrorDataReceived += (_, _) => { };
            server.BeginErrorReadLine();
            await server.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"package-test","version":"1"}}}""");
            await server.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var line = await server.StandardOutput.ReadLineAsync(timeout.Token);

            Assert.Equal(["serve", "--stdio"], arguments);
            Assert.NotNull(line);
            using var response = JsonDocument.Parse(line);
            Assert.Equal(1, response.RootElement.GetProperty("id").GetInt32());
            Assert.True(response.RootElement.GetProperty("result").TryGetProperty("serverInfo", out _), line);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Tool_package_is_a_dotnet_tool_and_an_MCP_server_package_whose_server_json_names_it()
    {
        var tool = await fixture.InstalledTool;
        using var package = ZipFile.OpenRead(tool.PackagePath);
        var nuspec = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        using var nuspecStream = nuspec.Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        var packageTypes = metadata.Descendants().Where(e => e.Name.LocalName == "packageType").Select(e => (string?)e.Attribute("name"));

        var serverJson = ReadServerJson(tool.PackagePath);
        var entry = serverJson.GetProperty("packages")[0];

        Assert.Equal(["DotnetTool", "McpServer"], packageTypes.Order(StringComparer.Ordinal));
        Assert.Equal("nuget", entry.GetProperty("registryType").GetString());
        Assert.Equal(PackageFixture.ToolPackageId, entry.GetProperty("identifier").GetString());
        Assert.Equal("stdio", entry.GetProperty("transport").GetProperty("type").GetString());
    }

    [Fact]
    public void Server_json_versions_match_the_version_that_is_packed()
    {
        // dnx starts the version server.json names: a stale one would start an older server.
        var props = XDocument.Load(Path.Combine(fixture.RepositoryRoot, "Directory.Build.props"));
        var version = props.Descendants().Single(e => e.Name.LocalName == "Version").Value;
        using var serverJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.RepositoryRoot, "src", "McpServer", ".mcp", "server.json")));

        Assert.Equal(version, serverJson.RootElement.GetProperty("version").GetString());
        Assert.Equal(version, serverJson.RootElement.GetProperty("packages")[0].GetProperty("version").GetString());
    }

    private static JsonElement ReadServerJson(string packagePath)
    {
        using var package = ZipFile.OpenRead(packagePath);
        var entry = package.GetEntry(".mcp/server.json");
        Assert.NotNull(entry);
        using var stream = entry.Open();
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    }
}
