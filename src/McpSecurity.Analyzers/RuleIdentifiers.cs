namespace McpSecurity.Analyzers;

/// <summary>
/// Every diagnostic ID the package reports, by name. The hundreds digit is the section of the
/// MCP server security guide the rule enforces (1xx: secrets, 2xx: exception handling,
/// 4xx: process execution).
/// </summary>
public static class RuleIdentifiers
{
#pragma warning disable MCPSEC101 // IDs named after the secrets their rules find; `scan` runs over this code too
    public const string HardcodedSecret = "MCPSEC101";
    public const string InsecureSecretFallback = "MCPSEC102";
#pragma warning restore MCPSEC101
    public const string LiteralKeyMaterial = "MCPSEC103";

    public const string BareCatchClause = "MCPSEC201";
    public const string CatchAllSwallowsFailure = "MCPSEC202";
    public const string ExceptionObservedOnlyThroughMessage = "MCPSEC203";

    public const string CommandRunThroughShell = "MCPSEC401";
    public const string CommandLineBuiltFromStrings = "MCPSEC402";
    public const string ShellExecuteWithNonConstantTarget = "MCPSEC403";
    public const string ProcessWaitWithoutTimeout = "MCPSEC404";
    public const string ExecutableChosenByUntrustedInput = "MCPSEC405";
}
