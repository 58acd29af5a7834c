namespace McpSecurity.Server.Hosting;

/// <summary>OAuth-style scopes carried in the token's space-separated "scope" claim.</summary>
public static class Scopes
{
    /// <summary>Needed for every MCP request over HTTP.</summary>
    public const string Tools = "mcp:tools";

    /// <summary>Needed, in addition, to call run_program: starting processes is a separate grant.</summary>
    public const string RunProgram = "mcp:run";

    public const string RunProgramTool = "run_program";
}
