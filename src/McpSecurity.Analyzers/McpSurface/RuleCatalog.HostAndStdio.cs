using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers;

public static partial class RuleCatalog
{
    // ---- 6xx MCP surface: token validation and the stdio transport ------------------------------

#pragma warning disable MCPSEC101 // named after the token checks its rule finds switched off
    public static readonly DiagnosticDescriptor TokenValidationWeakened = Create(
#pragma warning restore MCPSEC101
        RuleIdentifiers.TokenValidationWeakened,
        "Token validation weakened",
        "Token validation weakened: {0}",
        DiagnosticSeverity.Error,
        "TokenValidationParameters with a validation flag set to false (ValidateIssuerSigningKey, "
        + "ValidateLifetime, ValidateAudience, ValidateIssuer, RequireSignedTokens, RequireExpirationTime), "
        + "a validator delegate that accepts every token without checking it, or 'none' among the valid "
        + "algorithms lets a caller present a token the server should refuse: expired, issued for another "
        + "service, by another issuer, or not signed at all.",
        weaknesses: ["CWE-287", "CWE-347"]);

    public static readonly DiagnosticDescriptor StdoutWrittenByStdioServer = Create(
        RuleIdentifiers.StdoutWrittenByStdioServer,
        "Stdout written by a stdio MCP server",
        "{0} in a stdio MCP server, whose standard output carries the JSON-RPC stream; {1}",
        DiagnosticSeverity.Error,
        "Over the stdio transport, standard output is the JSON-RPC channel to the client: any other "
        + "byte written there (Console.Write*, Console.Out, Console.OpenStandardOutput, or a console "
        + "logger left on stdout, which Host.CreateApplicationBuilder adds by default) corrupts the "
        + "stream, and a value shaped like a JSON-RPC message is read by the client as one. Write to "
        + "standard error, and send every console log level there (LogToStandardErrorThreshold = LogLevel.Trace).",
        weaknesses: ["CWE-116"]);
}
