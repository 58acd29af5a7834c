using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers;

public static partial class RuleCatalog
{
    // ---- 6xx MCP surface: what a tool reads, writes and returns ----------------------------------

    public static readonly DiagnosticDescriptor ToolInputReachesFilePath = Create(
        RuleIdentifiers.ToolInputReachesFilePath,
        "Tool input reaches a file path without containment",
        "The path given to '{0}' derives from untrusted MCP input '{1}' with no containment check; resolve it with Path.GetFullPath under a root and check that it starts with the root and a separator",
        DiagnosticSeverity.Error,
        "A tool argument that becomes a file or directory path lets the client read, write or delete any "
        + "file the server can: '../' climbs out of the intended folder, and Path.Combine(root, input) with "
        + "an absolute input drops the root altogether. Resolve the path with Path.GetFullPath under a fixed "
        + "root and check that the result starts with the root followed by a directory separator, compared "
        + "ordinally (or that Path.GetRelativePath(root, full) does not start with '..'), before the file "
        + "API is called. StartsWith(root) without the separator also admits '/srv/app-secrets'.",
        weaknesses: ["CWE-22"]);

    public static readonly DiagnosticDescriptor ToolExposesEnvironment = Create(
        RuleIdentifiers.ToolExposesEnvironment,
        "Tool exposes environment or configuration",
        "'{0}' sends {1} to the client through {2}; return only the values the tool is meant to share",
        DiagnosticSeverity.Warning,
        "The process environment and the application's configuration hold the server's credentials, "
        + "connection strings and internal addresses. A tool that returns all of it (Environment."
        + "GetEnvironmentVariables(), configuration.AsEnumerable()) or any value a client names "
        + "(GetEnvironmentVariable(name), configuration[key]) hands them to every client and to every "
        + "prompt injection that can call the tool.",
        weaknesses: ["CWE-526", "CWE-200"]);
}
