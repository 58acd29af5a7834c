using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers;

public static partial class RuleCatalog
{
    // ---- 5xx Data exposure (guide S5) -----------------------------------------------------------

    public static readonly DiagnosticDescriptor ArgumentValuesLogged = Create(
        RuleIdentifiers.ArgumentValuesLogged,
        "Argument values written to logs",
        "'{0}' carries the value of '{1}' into {2}; log the argument names or keys, not their values",
        DiagnosticSeverity.Error,
        "Values a client sends to an MCP tool (its parameters, CallToolRequestParams.Arguments, and arguments "
        + "collections such as 'IDictionary<string, object> args') carry paths, file contents, tokens and "
        + "passwords. Written to a log (ILogger, LoggerMessage, Serilog, NLog, log4net, Console, Debug, Trace, "
        + "Activity tags) they are kept and shipped wherever logs go (guide S5: 'Tool arguments: {kwargs}'). "
        + "Log the argument names or the keys instead: keys, counts, names and parsed numbers are fine.",
        weaknesses: ["CWE-532"]);

    public static readonly DiagnosticDescriptor ArgumentValuesInErrors = Create(
        RuleIdentifiers.ArgumentValuesInErrors,
        "Argument values in exception messages or error reports",
        "'{0}' carries the value of '{1}' into {2}; name the arguments or their keys, not their values",
        DiagnosticSeverity.Error,
        "An exception message or an error report built from the values a client sent to a tool carries "
        + "those values into logs, crash reports and issue trackers: the guide's server put "
        + "'Tool arguments: {kwargs}' (API keys, passwords, file contents) into public GitHub issues (S5). "
        + "Report the argument names or keys only.",
        weaknesses: ["CWE-200"]);

    public static readonly DiagnosticDescriptor ExceptionDetailsReturned = Create(
        RuleIdentifiers.ExceptionDetailsReturned,
        "Exception details returned to the caller",
        "'{0}' sends {1} to the caller through {2}; return a generic message with a correlation id and log the exception",
        DiagnosticSeverity.Error,
        "Exception text, stack traces and messages returned in a tool result, an McpException or an HTTP "
        + "response tell a client the server's paths, libraries, queries and sometimes the data of other "
        + "requests (guide S5: the live dispatch path returned str(e)). Return a generic message with a "
        + "correlation id and log the exception. Reported as an error for ToString(), StackTrace and the "
        + "exception object, as a warning for Message alone.",
        weaknesses: ["CWE-209"]);

    public static readonly DiagnosticDescriptor SecretValueLogged = Create(
        RuleIdentifiers.SecretValueLogged,
        "Secret value logged",
        "'{0}' carries {1} into {2}; never write a secret to logs, errors or tool results",
        DiagnosticSeverity.Error,
        "A secret-named value (as in MCPSEC101), the Authorization header, a secret read from the "
        + "environment or configuration, or a connection string that may carry a password, written to a "
        + "log, an exception message, an error report or a tool result, is readable by everyone who can "
        + "read those (guide S5).",
        weaknesses: ["CWE-532"]);

    // ---- Options --------------------------------------------------------------------------------

    public static readonly RuleOption ArgumentCollectionNames = new(
        "mcpsec.argument_collection_names",
        "args,arguments,kwargs,parameters,payload",
        "Parameter names (as words of the name: 'toolArgs' contains 'args') that mark a parameter of any method "
        + "as a tool's arguments collection when its type is a dictionary with string keys, a sequence of "
        + "string-keyed pairs or a JSON object (JsonElement, JsonObject, JsonNode, JsonDocument). Its values "
        + "are treated as untrusted MCP input. Start the value with '+' to add to the defaults.",
        RuleIdentifiers.ArgumentValuesLogged,
        RuleIdentifiers.ArgumentValuesInErrors);

    public static readonly RuleOption LogSinkTypes = new(
        "mcpsec.log_sink_types",
        "Serilog.Log,Serilog.ILogger,NLog.Logger,NLog.ILogger,log4net.ILog",
        "Fully qualified names of logger types other than Microsoft.Extensions.Logging: every argument of "
        + "their methods (and of types deriving from or implementing them), except exceptions, is written "
        + "to a log. Start the value with '+' to add to the defaults (e.g. '+MyCompany.Diagnostics.AuditLog').",
        RuleIdentifiers.ArgumentValuesLogged,
        RuleIdentifiers.SecretValueLogged);

    public static readonly RuleOption ErrorReportMethods = new(
        "mcpsec.error_report_methods",
        "Sentry.SentrySdk,Sentry.IHub,Microsoft.ApplicationInsights.TelemetryClient",
        "Error-report calls in addition to the methods recognised by name (ReportError, SendErrorReport, "
        + "CaptureException, CreateIssue, methods of an ErrorReporter): 'Namespace.Type' for every method of "
        + "the type, 'Namespace.Type.Method' for one. Start the value with '+' to add to the defaults.",
        RuleIdentifiers.ArgumentValuesInErrors,
        RuleIdentifiers.SecretValueLogged);
}
