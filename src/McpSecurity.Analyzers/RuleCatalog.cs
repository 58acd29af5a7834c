using System.Collections.Immutable;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers;

/// <summary>
/// The single source of truth for every rule: ID, title, message, default severity, category, help
/// link and options. Analyzers, the server's <c>rules</c> command and the documentation tests all
/// read from here; nothing about a rule is written twice.
/// </summary>
public static class RuleCatalog
{
    public const string Category = "McpSecurity";

    /// <summary>Each diagnostic's help link is this plus <c>ID.md</c>: the rule's page in <c>docs/rules</c>.</summary>
    public const string HelpLinkBase = "https://github.com/mcpsecurity/McpSecurity/blob/main/docs/rules/";

    // ---- Shared options -------------------------------------------------------------------------

    public static readonly RuleOption ToolAttributes = new(
        "mcpsec.tool_attributes",
        "ModelContextProtocol.Server.McpServerToolAttribute,ModelContextProtocol.Server.McpServerPromptAttribute,ModelContextProtocol.Server.McpServerResourceAttribute",
        "Fully qualified names of the attributes that mark a method as an MCP tool, prompt or resource. "
        + "Start the value with '+' to add to the defaults (e.g. '+MyCompany.Mcp.ToolAttribute') instead of replacing them.",
        RuleIdentifiers.CatchAllSwallowsFailure);

    // ---- 2xx Exception handling (guide S2) ------------------------------------------------------

    public static readonly DiagnosticDescriptor BareCatchClause = Create(
        RuleIdentifiers.BareCatchClause,
        "Bare catch clause",
        "Bare catch clause in '{0}' hides every failure; catch the exceptions you expect, or rethrow",
        DiagnosticSeverity.Error,
        "A 'catch' with no exception type catches everything, including failures the code cannot "
        + "handle, and gives no way to log or wrap what was caught (guide S2). It is allowed only when "
        + "every exit rethrows ('catch { Cleanup(); throw; }').");

    public static readonly DiagnosticDescriptor CatchAllSwallowsFailure = Create(
        RuleIdentifiers.CatchAllSwallowsFailure,
        "Catch-all swallows the failure",
        "'catch ({0})' in '{1}' swallows the failure: the exception is never logged, wrapped or rethrown before the handler returns normally",
        DiagnosticSeverity.Error,
        "A handler for Exception or SystemException without a filter that leaves normally (return, "
        + "fall-through, continue or break) without passing the exception to anything turns every "
        + "failure into a silent default value (guide S2: 'except: return None').");

    public static readonly DiagnosticDescriptor ExceptionObservedOnlyThroughMessage = Create(
        RuleIdentifiers.ExceptionObservedOnlyThroughMessage,
        "Exception observed only through Message",
        "'{0}' is reported only through its Message; pass the exception itself so its type and stack trace are kept",
        DiagnosticSeverity.Warning,
        "A handler that reports 'ex.Message' but never the exception object loses the type, the stack "
        + "trace and the inner exceptions, and messages often carry the data the guide's S5 keeps out "
        + "of reports. Pass the exception to the logger, or as the inner exception.");

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        BareCatchClause,
        CatchAllSwallowsFailure,
        ExceptionObservedOnlyThroughMessage);

    public static ImmutableArray<RuleOption> Options { get; } = ImmutableArray.Create(ToolAttributes);

    /// <summary>The options that change the behaviour of <paramref name="ruleId"/>.</summary>
    public static ImmutableArray<RuleOption> OptionsOf(string ruleId)
        => Options.RemoveAll(option => !option.RuleIds.Contains(ruleId));

    private static DiagnosticDescriptor Create(
        string id, string title, string message, DiagnosticSeverity severity, string description)
        => new(
            id,
            title,
            message,
            Category,
            severity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpLinkBase + id + ".md");
}
