using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers;

public static partial class RuleCatalog
{
    // ---- 6xx MCP surface: credentials a tool passes on (MCPSEC607, MCPSEC609) -------------------

    public static readonly DiagnosticDescriptor IncomingCredentialsForwarded = Create(
        RuleIdentifiers.IncomingCredentialsForwarded,
        "Incoming credentials forwarded",
        "'{0}' carries {1} to {2}; never pass the caller's token on: get the server's own for downstream calls (on-behalf-of or token exchange)",
        DiagnosticSeverity.Error,
        "The token a client sent to this MCP server was issued for this server. Passing it on — in an "
        + "outbound request's headers, a child process's environment or command line, or a tool result — lets "
        + "whoever receives it act as the user anywhere the token is accepted, and hides who really called "
        + "(the confused deputy). The MCP authorization specification forbids token passthrough: the server "
        + "must obtain its own token for downstream services (OAuth on-behalf-of or token exchange).",
        weaknesses: ["CWE-441"]);

    public static readonly DiagnosticDescriptor ChildProcessInheritsSecrets = Create(
        RuleIdentifiers.ChildProcessInheritsSecrets,
        "Child process inherits the server's secrets",
        "{0} starts a child process with the server's whole environment; clear its Environment and copy only the variables it needs",
        DiagnosticSeverity.Warning,
        "A child process inherits every environment variable of the MCP server unless the start info's "
        + "Environment is cleared or pruned: SECRET_KEY, cloud credentials and API tokens reach a program "
        + "that a tool runs, often with arguments a client chose, and from there its logs, its crash dumps "
        + "and its own children.",
        weaknesses: ["CWE-526"]);

    public static readonly RuleOption ChildEnvironmentAllowList = new(
        "mcpsec.child_environment_allow_list",
        "PATH,HOME,USER,LANG,LC_ALL,TMPDIR,TEMP,TMP,SystemRoot,windir,ComSpec,PATHEXT,USERPROFILE",
        "The environment variables the MCPSEC609 fix copies into a child process's cleared environment "
        + "(when the server has them). Start the value with '+' to add to the defaults (e.g. '+DOTNET_ROOT,GIT_DIR').",
        RuleIdentifiers.ChildProcessInheritsSecrets);
}
