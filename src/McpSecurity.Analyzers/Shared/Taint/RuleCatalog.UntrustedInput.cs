using McpSecurity.Analyzers.Shared;

namespace McpSecurity.Analyzers;

public static partial class RuleCatalog
{
    // ---- Options of the untrusted-MCP-input model (Shared/Taint) -----------------------------------
    // Every rule that asks "does this value come from an MCP client?" lists its ID here.

    public static readonly RuleOption UntrustedParameters = new(
        "mcpsec.untrusted_parameters",
        "",
        "More places whose values come from an MCP client, for servers that dispatch tools through their own "
        + "interface or base class. 'Namespace.Type.Method(parameter)' marks one parameter of that method and of "
        + "every override and implementation of it ('MyServer.IMcpTool.ExecuteAsync(arguments)'); 'Namespace.Type.Method' "
        + "marks all its parameters except injected ones; 'Namespace.Type' marks a command class bound from the "
        + "request: parameters of that type and reads of its instance properties and fields. Separate entries with ',' or ';'; "
        + "'|' separates several parameters of one method. Nested types use '+', generic types their arity ('Handler`1').",
        RuleIdentifiers.CommandLineBuiltFromStrings,
        RuleIdentifiers.ExecutableChosenByUntrustedInput,
        RuleIdentifiers.ArgumentValuesLogged,
        RuleIdentifiers.ArgumentValuesInErrors,
        RuleIdentifiers.ToolInputReachesFilePath,
        RuleIdentifiers.ToolExposesEnvironment,
        RuleIdentifiers.ChildProcessInheritsSecrets);

    public static readonly RuleOption InjectedParameterTypes = new(
        "mcpsec.injected_parameter_types",
        "ModelContextProtocol.Server.McpServer,ModelContextProtocol.Server.IMcpServer,ModelContextProtocol.Server.RequestContext`1,"
        + "System.IProgress`1,System.Security.Claims.ClaimsPrincipal,System.Threading.CancellationToken,System.IServiceProvider",
        "Parameter types of MCP tools that the server supplies rather than the client (and so are not untrusted input), "
        + "in addition to interfaces and framework classes, which are treated as injected services. Start the value "
        + "with '+' to add to the defaults (e.g. '+MyServer.Services.GitService').",
        RuleIdentifiers.CommandLineBuiltFromStrings,
        RuleIdentifiers.ExecutableChosenByUntrustedInput,
        RuleIdentifiers.ArgumentValuesLogged,
        RuleIdentifiers.ArgumentValuesInErrors,
        RuleIdentifiers.ToolInputReachesFilePath,
        RuleIdentifiers.HiddenInstructionsInToolMetadata,
        RuleIdentifiers.ToolExposesEnvironment);
}
