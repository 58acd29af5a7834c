namespace McpSecurity.Analyzers;

/// <summary>
/// Every diagnostic ID the package reports, by name. The hundreds digit is the section of the
/// MCP server security guide the rule enforces (1xx: secrets, 2xx: exception handling).
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
}
