using System.Collections.Immutable;
using McpSecurity.Analyzers.Baseline;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// MCPSEC604: in a compilation that serves MCP over stdio (<see cref="StdioServerFacts"/>), anything
/// that writes to standard output — <c>Console.Write*</c>, a write through <c>Console.Out</c>,
/// <c>Console.OpenStandardOutput()</c> other than the transport's own stream, a console logger left on
/// stdout (<c>AddConsole</c> without <c>LogToStandardErrorThreshold</c>, a threshold above Trace, or the
/// console logger that <c>Host.CreateApplicationBuilder</c> adds by default). Every byte there that is
/// not the SDK's JSON-RPC breaks the client's stream. Not reported: <c>Console.Error</c>, reads,
/// <c>Console.Out.Flush()</c>, saving <c>Console.Out</c> to restore it, output of System.CommandLine
/// command actions and of an entry point's branch that leaves the program (<c>--help</c>,
/// <c>--version</c>), compilations that call <c>Console.SetOut(Console.Error)</c>, and test projects.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StdoutWriteAnalyzer : DiagnosticAnalyzer
{
    private const string WriteToStandardError = "write to Console.Error instead";
    private const string LogToStandardError = "set LogToStandardErrorThreshold = LogLevel.Trace in the console logger's options";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(RuleCatalog.StdoutWrittenByStdioServer);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (StdioSymbols.Create(start.Compilation) is not { } symbols || TestCompilations.IsTestProject(start.Compilation))
            {
                return;
            }

            var facts = new StdioServerFacts(start.Compilation, symbols);
            start.RegisterOperationAction(operation => AnalyzeInvocation(operation, symbols, facts), OperationKind.Invocation);
            start.RegisterOperationAction(operation => AnalyzeConsoleOut(operation, symbols, facts), OperationKind.PropertyReference);
            if (symbols.ConsoleLoggerOptions is not null)
            {
                start.RegisterOperationAction(operation => AnalyzeThreshold(operation, symbols, facts), OperationKind.SimpleAssignment);
            }
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, StdioSymbols symbols, StdioServerFacts facts)
    {
        var call = (IInvocationOperation)context.Operation;
        var method = call.TargetMethod;
        if (call.Syntax is not InvocationExpressionSyntax { Expression: { } callee })
        {
            return;
        }

        if (symbols.IsConsole(method.ContainingType))
        {
            string evidence, remedy;
            if (method.Name is "Write" or "WriteLine")
            {
                evidence = "'Console." + method.Name + "' writes to standard output";
                remedy = WriteToStandardError;
            }
            else if (method.Name == "OpenStandardOutput" && !symbols.IsTransportStream(call))
            {
                evidence = "'Console.OpenStandardOutput()' opens standard output for writing";
                remedy = "use Console.OpenStandardError() instead";
            }
            else
            {
                return;
            }

            if (IsConsoleOutput(call, context, symbols, facts, method.Name != "OpenStandardOutput"))
            {
                context.ReportUnlessBaselined(Diagnostic.Create(RuleCatalog.StdoutWrittenByStdioServer, callee.GetLocation(), evidence, remedy));
            }

            return;
        }

        if (symbols.IsConsoleLoggerExtension(method))
        {
            var snapshot = facts.Get(context.CancellationToken);
            if (snapshot.IsStdioServer && !snapshot.SetsStandardErrorThreshold)
            {
                context.ReportUnlessBaselined(Diagnostic.Create(
                    RuleCatalog.StdoutWrittenByStdioServer,
                    NameOf(callee).GetLocation(),
                    "The console logger added by '" + method.Name + "' writes every log line to standard output",
                    LogToStandardError));
            }

            return;
        }

        if (symbols.IsDefaultHostBuilder(method))
        {
            var snapshot = facts.Get(context.CancellationToken);
            if (snapshot.IsStdioServer && !snapshot.SetsStandardErrorThreshold && !snapshot.ClearsLoggingProviders && !snapshot.AddsConsoleLogger)
            {
                context.ReportUnlessBaselined(Diagnostic.Create(
                    RuleCatalog.StdoutWrittenByStdioServer,
                    NameOf(callee).GetLocation(),
                    "'" + method.ContainingType.Name + "." + method.Name + "' adds a console logger that writes to standard output",
                    "add logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace), or ClearProviders()"));
            }
        }
    }

    /// <summary><c>Console.Out</c> written to (<c>Console.Out.WriteLine</c>) or handed to something that writes (<c>Serialize(Console.Out, …)</c>).</summary>
    private static void AnalyzeConsoleOut(OperationAnalysisContext context, StdioSymbols symbols, StdioServerFacts facts)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        if (reference.Property is not { Name: "Out", IsStatic: true } property || !symbols.IsConsole(property.ContainingType))
        {
            return;
        }

        var parent = reference.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        var written = parent switch
        {
            IInvocationOperation invocation => invocation.Instance is not null && symbols.IsWriteMethod(invocation.TargetMethod),
            IArgumentOperation { Parent: IInvocationOperation receiver } => !(receiver.TargetMethod.Name == "SetOut" && symbols.IsConsole(receiver.TargetMethod.ContainingType)),
            IArgumentOperation { Parent: IObjectCreationOperation } => true,
            _ => false,
        };
        if (written && IsConsoleOutput(reference, context, symbols, facts, redirectable: true))
        {
            context.ReportUnlessBaselined(Diagnostic.Create(
                RuleCatalog.StdoutWrittenByStdioServer, reference.Syntax.GetLocation(), "'Console.Out' is written to", WriteToStandardError));
        }
    }

    /// <summary><c>LogToStandardErrorThreshold</c> set to a constant level above Trace: the levels below it still go to stdout.</summary>
    private static void AnalyzeThreshold(OperationAnalysisContext context, StdioSymbols symbols, StdioServerFacts facts)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is IPropertyReferenceOperation { Property: { Name: "LogToStandardErrorThreshold" } property }
            && symbols.IsConsoleLoggerOptions(property.ContainingType)
            && assignment.Value.ConstantValue is { HasValue: true, Value: int level }
            && level != 0
            && facts.Get(context.CancellationToken).IsStdioServer)
        {
            context.ReportUnlessBaselined(Diagnostic.Create(
                RuleCatalog.StdoutWrittenByStdioServer,
                assignment.Value.Syntax.GetLocation(),
                "'LogToStandardErrorThreshold = " + assignment.Value.Syntax + "' leaves the levels below it on standard output",
                "set it to LogLevel.Trace"));
        }
    }

    /// <summary>
    /// Whether a write reaches the stdout of a running stdio server: not a CLI command's own output,
    /// not an entry point's usage branch, not after <c>Console.SetOut(Console.Error)</c>, and the
    /// compilation is a stdio server (asked last: the first question costs a scan of the compilation).
    /// </summary>
    private static bool IsConsoleOutput(IOperation write, OperationAnalysisContext context, StdioSymbols symbols, StdioServerFacts facts, bool redirectable)
    {
        if (symbols.IsInCommandLineAction(write, context.ContainingSymbol) || IsInLeavingEntryPointBranch(write.Syntax, context.ContainingSymbol))
        {
            return false;
        }

        var snapshot = facts.Get(context.CancellationToken);
        return snapshot.IsStdioServer && !(redirectable && snapshot.RedirectsConsoleOut);
    }

    /// <summary>
    /// <c>if (args is ["--version"]) { Console.WriteLine(version); return 0; }</c> in <c>Main</c> or top-level
    /// statements: the branch prints and leaves before any server starts. Also any block that ends
    /// with <c>Environment.Exit(…)</c>.
    /// </summary>
    private static bool IsInLeavingEntryPointBranch(SyntaxNode write, ISymbol? containingSymbol)
    {
        var entryPoint = containingSymbol is IMethodSymbol { IsStatic: true, Name: "Main" or "<Main>$" };
        for (var node = write.Parent; node is not null and not MemberDeclarationSyntax and not CompilationUnitSyntax and not AnonymousFunctionExpressionSyntax; node = node.Parent)
        {
            if (node is BlockSyntax { Statements.Count: > 0 } block
                && block.Parent is not BaseMethodDeclarationSyntax and not LocalFunctionStatementSyntax
                && block.Statements[block.Statements.Count - 1] is var last
                && ((entryPoint && last is ReturnStatementSyntax) || IsEnvironmentExit(last)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsEnvironmentExit(StatementSyntax statement)
        => statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Exit" } access } }
            && access.Expression.ToString() is "Environment" or "System.Environment";

    private static SyntaxNode NameOf(ExpressionSyntax callee) => callee switch
    {
        MemberAccessExpressionSyntax access => access.Name,
        _ => callee,
    };
}
