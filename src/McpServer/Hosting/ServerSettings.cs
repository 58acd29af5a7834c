using System;
using System.Collections.Generic;
using System.IO;
using ModelContextProtocol.AspNetCore;

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

    /// <summary>
    /// On a server bound only to loopback, Origins http(s)://localhost, 127.0.0.1 and [::1] (any port) are
    /// allowed too: a local browser client or inspector is the same machine, not a rebinding page.
    /// </summary>
    public bool AllowLoopbackOrigins { get; set; } = true;

    /// <summary>OAuth authorization servers that issue tokens for this server, listed in its protected-resource metadata (RFC 9728).</summary>
    public List<string> AuthorizationServers { get; set; } = [];

    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    public int RequestsPerMinute { get; set; } = 120;

    /// <summary>
    /// HTTP sessions. <c>Stateless</c> (default): every request stands alone, so any instance behind a load
    /// balancer can answer it, at the cost of building the MCP server state per request. <c>Stateful</c>: the
    /// initialize handshake opens a session (Mcp-Session-Id) that later requests reuse, faster per call but
    /// tied to the instance that holds it (session affinity needed). <c>StatefulForInitializeClients</c>:
    /// sessions for clients that use the handshake, stateless for 2026-07-28 clients.
    /// </summary>
    public HttpServerSessionMode HttpSessionMode { get; set; } = HttpServerSessionMode.Stateless;

    /// <summary>
    /// Time budget of one scan_code, fix_code or scan_path call; the scan stops when it runs out or
    /// the client goes away. Real files scan in well under a second once the server is warm.
    /// </summary>
    public int ScanTimeoutSeconds { get; set; } = 60;

    /// <summary>Worker processes that run MCP scans (each one scan at a time); a call past its budget kills its worker.</summary>
    public int ScanWorkers { get; set; } = 1;

    /// <summary>Scans that may wait for a worker; a call past them is refused with an error.</summary>
    public int ScanQueueLimit { get; set; } = 8;

    /// <summary>Managed heap cap of each scan worker (DOTNET_GCHeapHardLimit); 0 for none.</summary>
    public int ScanWorkerMemoryLimitMegabytes { get; set; } = 2048;

    /// <summary>Longest stdio message (one JSON-RPC line); a longer one is dropped unread, so an endless line cannot grow memory.</summary>
    public int StdioMaxMessageBytes { get; set; } = 4 * 1024 * 1024;
}
