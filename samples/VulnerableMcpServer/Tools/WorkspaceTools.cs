using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol.Server;

namespace VulnerableMcpServer.Tools;

/// <summary>Reads notes from the server's workspace folder and reports how the server is set up.</summary>
[McpServerToolType]
public sealed class WorkspaceTools(IConfiguration configuration)
{
    private string Root => configuration["Workspace:Root"] ?? "workspace";

    [McpServerTool(Name = "workspace_read", ReadOnly = true)]
    [Description("Reads a note from the workspace folder.")]
    public string Read([Description("The note, relative to the workspace folder.")] string path)
        => File.ReadAllText(Path.Combine(Root, path)); // planted: MCPSEC605 an absolute path drops the root, '../' climbs out of it

    [McpServerTool(Name = "workspace_read_checked", ReadOnly = true)]
    [Description("Reads a note from the workspace folder, refusing paths outside it.")]
    public string ReadChecked([Description("The note, relative to the workspace folder.")] string path)
    {
        // Correct: resolved under the root and compared, ordinally, with the root and a separator.
        var root = Path.GetFullPath(Root) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(root, path));
        if (!full.StartsWith(root, StringComparison.Ordinal))
        {
            throw new ArgumentException("The note must be inside the workspace folder.", nameof(path));
        }

        return File.ReadAllText(full);
    }

    [McpServerTool(Name = "server_environment", ReadOnly = true)]
    [Description("Describes the server's environment, for debugging the setup.")]
    public string DescribeEnvironment()
        => JsonSerializer.Serialize(Environment.GetEnvironmentVariables()); // planted: MCPSEC608 every variable, tokens included

    [McpServerTool(Name = "server_mode", ReadOnly = true)]
    [Description("Says which hosting environment the server runs in.")]
    public string Mode()
        => Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production"; // correct: one named, non-secret variable
}
