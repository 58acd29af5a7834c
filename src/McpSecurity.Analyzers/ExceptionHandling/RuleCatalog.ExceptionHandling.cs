using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers;

public static partial class RuleCatalog
{
    // ---- 2xx Exception handling (guide S2) ------------------------------------------------------

    public static readonly DiagnosticDescriptor BareCatchClause = Create(
        RuleIdentifiers.BareCatchClause,
        "Bare catch clause",
        "Bare catch clause in '{0}' hides every failure; catch the exceptions you expect, or rethrow",
        DiagnosticSeverity.Error,
        "A 'catch' with no exception type catches everything, including failures the code cannot "
        + "handle, and gives no way to log or wrap what was caught (guide S2). It is allowed only when "
        + "every exit rethrows ('catch { Cleanup(); throw; }').",
        weaknesses: ["CWE-396"]);

    public static readonly DiagnosticDescriptor CatchAllSwallowsFailure = Create(
        RuleIdentifiers.CatchAllSwallowsFailure,
        "Catch-all swallows the failure",
        "'catch ({0})' in '{1}' swallows the failure: the exception is never logged, wrapped or rethrown before the handler returns normally",
        DiagnosticSeverity.Error,
        "A handler for Exception or SystemException without a filter that leaves normally (return, "
        + "fall-through, continue or break) without passing the exception to anything turns every "
        + "failure into a silent default value (guide S2: 'except: return None').",
        weaknesses: ["CWE-396", "CWE-390"]);

    public static readonly DiagnosticDescriptor ExceptionObservedOnlyThroughMessage = Create(
        RuleIdentifiers.ExceptionObservedOnlyThroughMessage,
        "Exception observed only through Message",
        "'{0}' is reported only through its Message; pass the exception itself so its type and stack trace are kept",
        DiagnosticSeverity.Warning,
        "A handler that reports 'ex.Message' but never the exception object loses the type, the stack "
        + "trace and the inner exceptions, and messages often carry the data the guide's S5 keeps out "
        + "of reports. Pass the exception to the logger, or as the inner exception.",
        weaknesses: ["CWE-755"]);
}
