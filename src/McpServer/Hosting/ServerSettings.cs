using System;
using System.Collections.Generic;
using System.IO;

namespace McpSecurity.Server.Hosting;

/// <summary>One program run_program may start: its fixed path and the option arguments it may receive.</summary>
public sealed class AllowedProgram
{
    /// <summary>Absolute path of the executable: the client names the program, never the path.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Arguments starting with '-' that are allowed; any other option is refused (option injection such as --upload-pack=…).</summary>
    public List<string> AllowedOptions { get; set; } = [];
}

/// <summary>The "McpServer" configuration section (appsettings.json, MCPSERVER__* environment variables, --McpServer:…).</summary>
public sealed class ServerSettings
{
    public const string Section = "McpServer";

    /// <summary>scan_path and run_program stay inside this folder (default: the current directory).</summary>
    public string WorkspaceRoot { get; set; } = Directory.GetCurrentDirectory();

    public Dictionary<string, AllowedProgram> AllowedPrograms { get; set; } = new(StringComparer.Ordinal);

    public int ProgramTimeoutSeconds { get; set; } = 10;

    public int ProgramOutputLimitBytes { get; set; } = 64 * 1024;

    public string Issuer { get; set; } = "mcpsec";

    public string Audience { get; set; } = "mcpsec-mcp";

    /// <summary>Origins a browser may call from; any other Origin header gets 403 (DNS rebinding).</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    public int RequestsPerMinute { get; set; } = 120;

    /// <summary>
    /// Time budget of one scan_code, fix_code or scan_path call; the scan stops when it runs out or
    /// the client goes away. Real files scan in well under a second once the server is warm.
    /// </summary>
    public int ScanTimeoutSeconds { get; set; } = 60;

    /// <summary>Longest stdio message (one JSON-RPC line); a longer one is dropped unread, so an endless line cannot grow memory.</summary>
    public int StdioMaxMessageBytes { get; set; } = 4 * 1024 * 1024;
}
