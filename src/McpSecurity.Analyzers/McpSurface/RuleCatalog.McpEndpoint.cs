using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers;

public static partial class RuleCatalog
{
    // ---- 6xx MCP surface: the HTTP endpoint and where it listens ---------------------------------

    public static readonly DiagnosticDescriptor McpEndpointWithoutAuthorization = Create(
        RuleIdentifiers.McpEndpointWithoutAuthorization,
        "MCP HTTP endpoint without authorization",
        "'{0}' maps an MCP endpoint {1}",
        DiagnosticSeverity.Error,
        "An MCP endpoint mapped with MapMcp(...) whose convention builder never gets RequireAuthorization(...) "
        + "(on itself or on its route group), in a compilation with no authorization fallback policy, answers "
        + "any caller that can reach it: every tool runs for an unauthenticated client. This is the "
        + "missing-authentication class of CVE-2026-32211. AllowAnonymous() on the endpoint is reported too.",
        weaknesses: ["CWE-306"]);

    public static readonly DiagnosticDescriptor ListeningOnAllInterfacesOrAnyOrigin = Create(
        RuleIdentifiers.ListeningOnAllInterfacesOrAnyOrigin,
        "Listening on all interfaces or any origin",
        "'{0}' {1}",
        DiagnosticSeverity.Warning,
        "In a compilation that serves MCP over HTTP: a listen address or URL that binds every network interface "
        + "(ListenAnyIP, IPAddress.Any, 0.0.0.0, [::], *, + or a host name Kestrel treats as a wildcard) puts the "
        + "server's tools on the network instead of loopback, and a CORS policy that allows any origin "
        + "(AllowAnyOrigin(), SetIsOriginAllowed(_ => true)) lets any web page a user visits call them.",
        weaknesses: ["CWE-1327", "CWE-942"]);
}
