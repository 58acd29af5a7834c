namespace McpSecurity.Analyzers;

/// <summary>
/// Every diagnostic ID the package reports, by name. The hundreds digit is the section of the
/// MCP server security guide the rule enforces (1xx: secrets, 2xx: exception handling,
/// 3xx: phantom dependencies, 4xx: process execution, 5xx: data exposure, 6xx: the MCP surface).
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

    public const string LoadOfMissingTypeOrAssembly = "MCPSEC301";

    public const string CommandRunThroughShell = "MCPSEC401";
    public const string CommandLineBuiltFromStrings = "MCPSEC402";
    public const string ShellExecuteWithNonConstantTarget = "MCPSEC403";
    public const string ProcessWaitWithoutTimeout = "MCPSEC404";
    public const string ExecutableChosenByUntrustedInput = "MCPSEC405";

    public const string ArgumentValuesLogged = "MCPSEC501";
    public const string ArgumentValuesInErrors = "MCPSEC502";
    public const string ExceptionDetailsReturned = "MCPSEC503";
#pragma warning disable MCPSEC101 // named after the secrets its rule finds, like MCPSEC101's own ID
    public const string SecretValueLogged = "MCPSEC504";
#pragma warning restore MCPSEC101

    // 6xx: the MCP surface (the host's transport and authentication, the tools' metadata and effects).
    public const string McpEndpointWithoutAuthorization = "MCPSEC601";
#pragma warning disable MCPSEC101 // named after the token checks its rule finds switched off
    public const string TokenValidationWeakened = "MCPSEC602";
#pragma warning restore MCPSEC101
    public const string ListeningOnAllInterfacesOrAnyOrigin = "MCPSEC603";
    public const string StdoutWrittenByStdioServer = "MCPSEC604";
    public const string ToolInputReachesFilePath = "MCPSEC605";
    public const string HiddenInstructionsInToolMetadata = "MCPSEC606";
    public const string IncomingCredentialsForwarded = "MCPSEC607";
    public const string ToolExposesEnvironment = "MCPSEC608";
    public const string ChildProcessInheritsSecrets = "MCPSEC609";
    public const string ReadOnlyAnnotationContradicted = "MCPSEC610";
}
