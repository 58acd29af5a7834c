using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using McpSecurity.Analyzers.Secrets;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.DataExposure;

/// <summary>Where a sink sends what it is given; one sink can have several roles (an McpException's message is an error message the client reads).</summary>
[Flags]
internal enum SinkRoles
{
    None = 0,

    /// <summary>Logs and telemetry: MCPSEC501, MCPSEC504.</summary>
    Log = 1,

    /// <summary>An exception's message: MCPSEC502, MCPSEC504.</summary>
    ErrorMessage = 2,

    /// <summary>An error report (issue tracker, crash reporter): MCPSEC502, MCPSEC504.</summary>
    ErrorReport = 4,

    /// <summary>What an MCP client receives (tool result, protocol content, McpException): MCPSEC503, MCPSEC504.</summary>
    Result = 8,

    /// <summary>
    /// An HTTP response: MCPSEC503 only. A token endpoint returns a token on purpose, so secrets in
    /// responses are not this package's call (MCPSEC607 is about forwarding incoming credentials).
    /// </summary>
    HttpResponse = 16,
}

/// <summary>A call, creation, assignment or return that sends values somewhere, with the values it sends.</summary>
internal sealed class Sink
{
    public Sink(SinkRoles roles, string description, ImmutableArray<IOperation> values)
    {
        Roles = roles;
        Description = description;
        Values = values;
    }

    public SinkRoles Roles { get; }

    /// <summary>How a message names the sink: "the log call 'LogInformation'", "the result of tool 'echo'".</summary>
    public string Description { get; }

    public ImmutableArray<IOperation> Values { get; }
}

/// <summary>
/// Recognises the sinks of MCPSEC501–504. Logs: <c>ILogger</c> extension methods, <c>Log</c> and
/// <c>BeginScope</c>; delegates taking an <c>ILogger</c> first (what <c>LoggerMessage.Define</c>
/// returns); <c>[LoggerMessage]</c> methods; the logger types of <c>mcpsec.log_sink_types</c>;
/// <c>Console</c>, <c>Console.Out/Error</c>, <c>Debug</c>, <c>Trace</c>, <c>TraceSource</c>;
/// <c>Activity</c> tags, baggage, status and events. Errors: exception constructors and
/// <c>Exception.Data</c>; error-report calls by name or by option. Results: the return value of an MCP
/// tool, prompt or resource (or of a lambda given to <c>McpServerTool.Create</c>), members of MCP
/// protocol results and content blocks, <c>McpException</c> messages, <c>Results</c>/<c>TypedResults</c>,
/// <c>ControllerBase</c> results, <c>ProblemDetails</c>, <c>HttpResponse.WriteAsync</c>/<c>WriteAsJsonAsync</c>.
/// Exceptions given to a sink as an exception (a logger's exception argument, an inner exception) are
/// never values: that is where they belong.
/// </summary>
internal sealed class ExposureSinks
{
    private static readonly string[] ErrorWords = { "error", "exception", "crash", "failure", "fault", "bug", "issue", "incident" };
    private static readonly string[] ReportWords = { "report", "reporter", "capture", "track", "submit", "file", "notify", "send", "post" };
    private static readonly string[] TicketWords = { "issue", "bug", "incident", "ticket" };

    private static readonly Func<IMethodSymbol, DataExposureSettings, bool> DecideErrorReport = (method, settings) => IsErrorReport(method, method.ContainingType, settings);

    private readonly DataExposureSymbols symbols;
    private readonly ImmutableArray<INamedTypeSymbol> toolFactories;
    private readonly ConcurrentDictionary<INamedTypeSymbol, SinkRoles> resultTypes = new(SymbolEqualityComparer.Default);

    public ExposureSinks(DataExposureSymbols symbols, ImmutableArray<INamedTypeSymbol> toolFactories)
    {
        this.symbols = symbols;
        this.toolFactories = toolFactories;
    }

    /// <param name="toolResult">How a message names the body's return value when the body is an MCP tool ("the result of tool 'echo'"), else null.</param>
    public Sink? Find(IOperation operation, string? toolResult, DataExposureSettings settings)
        => operation switch
        {
            IInvocationOperation invocation => Invocation(invocation, settings),
            IObjectCreationOperation creation => Creation(creation),
            ISimpleAssignmentOperation assignment => Assignment(assignment),
            IReturnOperation { ReturnedValue: { } value } @return => Return(@return, value, toolResult),
            _ => null,
        };

    /// <summary>The description of a tool's result for <see cref="Find"/>, computed once per body.</summary>
    public static string? ToolResult(ISymbol owningSymbol, DataExposureSettings settings)
        => owningSymbol is IMethodSymbol method && McpToolMethods.ToolAttribute(method, settings.ToolAttributes) is { } attribute
            ? "the result of tool '" + McpToolMethods.ToolName(method, attribute) + "'"
            : null;

    private Sink? Invocation(IInvocationOperation invocation, DataExposureSettings settings)
    {
        var method = invocation.TargetMethod;
        var containing = method.ContainingType;
        if (containing is null)
        {
            return null;
        }

        // logger.LogInformation(…), logger.BeginScope(…), logger.Log(level, …)
        if (SymbolEqualityComparer.Default.Equals(containing, symbols.LoggerExtensions)
            || (method.Name is "Log" or "BeginScope" && symbols.IsLogger(containing)))
        {
            return Make(SinkRoles.Log, "the log call '" + method.Name + "'", invocation.Arguments, skipReceiver: method.IsExtensionMethod);
        }

        // LoggerMessage.Define(…) delegates: Action<ILogger, T1, …, Exception?>.
        if (method.MethodKind == MethodKind.DelegateInvoke && method.Parameters.Length > 0 && symbols.IsLogger(method.Parameters[0].Type))
        {
            return Make(SinkRoles.Log, "the log call '" + DelegateName(invocation) + "'", invocation.Arguments, skipReceiver: false);
        }

        // [LoggerMessage] partial methods, generated or written by hand; always declared in source.
        if (symbols.LoggerMessageAttribute is { } loggerMessage
            && method.Locations.Length > 0 && method.Locations[0].IsInSource
            && HasAttribute(method, loggerMessage))
        {
            return Make(SinkRoles.Log, "the log call '" + method.Name + "'", invocation.Arguments, skipReceiver: false);
        }

        if (IsOrInheritsAny(containing, settings.LogSinkTypes))
        {
            return Make(SinkRoles.Log, "the log call '" + containing.Name + "." + method.Name + "'", invocation.Arguments, skipReceiver: method.IsExtensionMethod);
        }

        if (ConsoleOrTrace(invocation, method, containing) is { } writer)
        {
            return Make(SinkRoles.Log, "'" + writer + "'", invocation.Arguments, skipReceiver: false);
        }

        if (SymbolEqualityComparer.Default.Equals(containing, symbols.Activity)
            && method.Name is "SetTag" or "AddTag" or "SetBaggage" or "AddBaggage" or "SetStatus" or "AddEvent" or "SetCustomProperty")
        {
            return Make(SinkRoles.Log, "the Activity telemetry call '" + method.Name + "'", invocation.Arguments, skipReceiver: false);
        }

        // ex.Data.Add("arguments", args)
        if (method.Name is "Add" && invocation.Instance is IPropertyReferenceOperation { Property.Name: "Data", Instance: { } exception }
            && symbols.IsException(exception.Type))
        {
            return Make(SinkRoles.ErrorMessage, "the Data of an exception", invocation.Arguments, skipReceiver: false);
        }

        if (settings.IsErrorReport(method, DecideErrorReport))
        {
            return Make(SinkRoles.ErrorReport, "the error report '" + method.Name + "'", invocation.Arguments, skipReceiver: method.IsExtensionMethod);
        }

        if (HttpResult(method, containing) is { } http)
        {
            return Make(SinkRoles.HttpResponse, "the HTTP response '" + http + "'", invocation.Arguments, skipReceiver: method.IsExtensionMethod);
        }

        return null;
    }

    // Asked of every call in every body: loops, not LINQ over closures, so a call that is no sink allocates nothing.
    private static bool HasAttribute(IMethodSymbol method, INamedTypeSymbol attribute)
    {
        foreach (var data in method.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsOrInheritsAny(INamedTypeSymbol type, ImmutableArray<INamedTypeSymbol> candidates)
    {
        foreach (var candidate in candidates)
        {
            if (SecretSymbols.IsOrInherits(type, candidate))
            {
                return true;
            }
        }

        return false;
    }

    private string? ConsoleOrTrace(IInvocationOperation invocation, IMethodSymbol method, INamedTypeSymbol containing)
    {
        if (SymbolEqualityComparer.Default.Equals(containing, symbols.Console))
        {
            return method.Name.StartsWith("Write", StringComparison.Ordinal) ? "Console." + method.Name : null;
        }

        // Console.Out.WriteLine(…), Console.Error.WriteLineAsync(…)
        if (invocation.Instance is IPropertyReferenceOperation { Property.Name: "Out" or "Error" } stream
            && SymbolEqualityComparer.Default.Equals(stream.Property.ContainingType, symbols.Console)
            && method.Name.StartsWith("Write", StringComparison.Ordinal))
        {
            return "Console." + stream.Property.Name + "." + method.Name;
        }

        if (SymbolEqualityComparer.Default.Equals(containing, symbols.Debug) || SymbolEqualityComparer.Default.Equals(containing, symbols.Trace))
        {
            return method.Name is "Indent" or "Unindent" or "Flush" or "Close" or "Refresh" ? null : containing.Name + "." + method.Name;
        }

        return SymbolEqualityComparer.Default.Equals(containing, symbols.TraceSource) && method.Name.StartsWith("Trace", StringComparison.Ordinal)
            ? "TraceSource." + method.Name
            : null;
    }

    private static bool IsErrorReport(IMethodSymbol method, INamedTypeSymbol containing, DataExposureSettings settings)
    {
        foreach (var entry in settings.ErrorReportMethods)
        {
            if (SecretSymbols.IsOrInherits(containing, entry.Type) && (entry.Method is null || entry.Method == method.Name))
            {
                return true;
            }
        }

        // ReportError, SendErrorReport, CaptureException, TrackException, CreateIssue, FileBugAsync…
        var words = SecretNames.SplitWords(method.Name);
        if (HasAny(words, ErrorWords) && HasAny(words, ReportWords)
            || HasAny(words, TicketWords) && HasAny(words, new[] { "create", "open" }))
        {
            return true;
        }

        // ErrorReporter.Submit(…), ICrashReporter.Send(…), IssueTracker.Create(…); not a ProgressReporter.
        var typeWords = SecretNames.SplitWords(containing.Name);
        return method.MethodKind == MethodKind.Ordinary
            && HasAny(typeWords, ErrorWords) && HasAny(typeWords, new[] { "report", "reporter", "reporting", "tracker" });
    }

    private static bool HasAny(ImmutableArray<string> words, string[] wanted)
    {
        foreach (var word in words)
        {
            foreach (var candidate in wanted)
            {
                if (SecretNames.WordEquals(word, candidate))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private string? HttpResult(IMethodSymbol method, INamedTypeSymbol containing)
    {
        if (SymbolEqualityComparer.Default.Equals(containing, symbols.Results) || SymbolEqualityComparer.Default.Equals(containing, symbols.TypedResults))
        {
            return containing.Name + "." + method.Name;
        }

        if (SymbolEqualityComparer.Default.Equals(containing, symbols.HttpResponseWritingExtensions) && method.Name == "WriteAsync"
            || SymbolEqualityComparer.Default.Equals(containing, symbols.HttpResponseJsonExtensions) && method.Name.StartsWith("WriteAsJson", StringComparison.Ordinal))
        {
            return "HttpResponse." + method.Name;
        }

        // return Problem(detail: ex.Message), Content(…), BadRequest(…) in a controller.
        return SymbolEqualityComparer.Default.Equals(containing, symbols.ControllerBase)
            && !method.IsStatic && method.ReturnType.DerivesFrom(symbols.ActionResult)
                ? "ControllerBase." + method.Name
                : null;
    }

    private Sink? Creation(IObjectCreationOperation creation)
    {
        var type = creation.Type;
        if (symbols.IsException(type))
        {
            var roles = symbols.IsMcpException(type) ? SinkRoles.ErrorMessage | SinkRoles.Result : SinkRoles.ErrorMessage;
            return Make(roles, "the message of '" + type!.Name + "'", creation.Arguments, skipReceiver: false);
        }

        return type is INamedTypeSymbol named && ResultRole(named) is var role && role != SinkRoles.None
            ? Make(role, "'" + named.Name + "'", creation.Arguments, skipReceiver: false)
            : null;
    }

    private Sink? Assignment(ISimpleAssignmentOperation assignment)
    {
        switch (assignment.Target)
        {
            // new TextContentBlock { Text = … }, problem.Detail = …
            case IPropertyReferenceOperation { Property.IsIndexer: false } property
                when property.Property.ContainingType is { } type && ResultRole(type) != SinkRoles.None:
                return new Sink(ResultRole(type), "'" + type.Name + "." + property.Property.Name + "'", ImmutableArray.Create(assignment.Value));

            // problem.Extensions["error"] = …, ex.Data["arguments"] = …
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: IPropertyReferenceOperation { Instance: { } owner } collection }:
                if (collection.Property.Name == "Data" && symbols.IsException(owner.Type))
                {
                    return new Sink(SinkRoles.ErrorMessage, "the Data of an exception", ImmutableArray.Create(assignment.Value));
                }

                return collection.Property.Name == "Extensions" && owner.Type is INamedTypeSymbol ownerType && ResultRole(ownerType) != SinkRoles.None
                    ? new Sink(ResultRole(ownerType), "'" + ownerType.Name + ".Extensions'", ImmutableArray.Create(assignment.Value))
                    : null;

            default:
                return null;
        }
    }

    /// <summary>
    /// Whether the caller receives the content of a type: MCP protocol results, content blocks,
    /// resource contents and prompt messages (<see cref="SinkRoles.Result"/>); ProblemDetails and MVC
    /// action results (<see cref="SinkRoles.HttpResponse"/>).
    /// </summary>
    private SinkRoles ResultRole(INamedTypeSymbol type)
        => resultTypes.GetOrAdd(type, t => ResultRoleUncached(t));

    private SinkRoles ResultRoleUncached(INamedTypeSymbol type)
    {
        if (type.DerivesFrom(symbols.ProblemDetails) || type.DerivesFrom(symbols.ActionResult))
        {
            return SinkRoles.HttpResponse;
        }

        var ns = type.ContainingNamespace?.ToDisplayString();
        return ns == "ModelContextProtocol.Protocol"
            && (type.Name.EndsWith("Result", StringComparison.Ordinal)
                || type.Name.EndsWith("ContentBlock", StringComparison.Ordinal)
                || type.Name.EndsWith("Contents", StringComparison.Ordinal)
                || type.Name is "Content" or "PromptMessage")
                ? SinkRoles.Result
                : SinkRoles.None;
    }

    private Sink? Return(IReturnOperation @return, IOperation value, string? toolResult)
    {
        for (var node = @return.Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case IAnonymousFunctionOperation lambda:
                    return IsDelegateTool(lambda)
                        ? new Sink(SinkRoles.Result, "the result of a tool", ImmutableArray.Create(value))
                        : null;
                case ILocalFunctionOperation:
                    return null;
            }
        }

        return toolResult is null ? null : new Sink(SinkRoles.Result, toolResult, ImmutableArray.Create(value));
    }

    private bool IsDelegateTool(IAnonymousFunctionOperation lambda)
    {
        IOperation current = lambda;
        while (current.Parent is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        return current.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "Create" } factory } }
            && toolFactories.Any(t => SymbolEqualityComparer.Default.Equals(factory.ContainingType, t));
    }

    /// <summary>
    /// The values a call sends: its arguments, with params arrays opened, without the receiver of an
    /// extension method, exceptions passed as exceptions, loggers, and arguments left to their default.
    /// </summary>
    private Sink Make(SinkRoles roles, string description, ImmutableArray<IArgumentOperation> arguments, bool skipReceiver)
    {
        var values = ImmutableArray.CreateBuilder<IOperation>();
        foreach (var argument in arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue
                || skipReceiver && argument.Parameter?.Ordinal == 0
                || argument.Parameter is { } parameter && (symbols.IsException(parameter.Type) || symbols.IsLogger(parameter.Type)))
            {
                continue;
            }

            if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } items })
            {
                values.AddRange(items.ElementValues);
            }
            else
            {
                values.Add(argument.Value);
            }
        }

        return new Sink(roles, description, values.ToImmutable());
    }

    private static string DelegateName(IInvocationOperation invocation)
        => invocation.Instance switch
        {
            IFieldReferenceOperation field => field.Field.Name,
            IPropertyReferenceOperation property => property.Property.Name,
            ILocalReferenceOperation local => local.Local.Name,
            IParameterReferenceOperation parameter => parameter.Parameter.Name,
            _ => invocation.TargetMethod.ContainingType?.Name ?? "delegate",
        };
}
