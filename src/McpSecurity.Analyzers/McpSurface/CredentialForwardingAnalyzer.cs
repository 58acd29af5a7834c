using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using McpSecurity.Analyzers.Baseline;
using McpSecurity.Analyzers.DataExposure;
using McpSecurity.Analyzers.ProcessExecution;
using McpSecurity.Analyzers.Shared;
using McpSecurity.Analyzers.Shared.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// MCPSEC607, token passthrough: the credentials a caller sent (<see cref="IncomingCredentials"/>) reach
/// an outbound request's headers (<see cref="OutboundHeaders"/>), a child process's environment or
/// command line (<see cref="ProcessLaunches"/>), or what an MCP client receives (the result sinks of
/// <see cref="ExposureSinks"/>). Only bodies that read a request header or a saved token are traced,
/// with the data-exposure rules' <see cref="ValueTrace"/>: through locals, concatenation,
/// interpolation, <c>Replace("Bearer ", "")</c>, <c>Substring</c>, <c>AuthenticationHeaderValue.Parse</c>;
/// a call to anything else (a token exchange) ends the trace.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CredentialForwardingAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(RuleCatalog.IncomingCredentialsForwarded);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // No ASP.NET Core request abstractions, no incoming credential to forward.
            var credentials = IncomingCredentials.Create(start.Compilation);
            if (!credentials.CanExist)
            {
                return;
            }

            var facts = new CompilationFacts(
                credentials,
                OutboundHeaders.Create(start.Compilation),
                ProcessSymbols.Create(start.Compilation),
                UntrustedInputSources.Create(start.Compilation, start.Options),
                start.Compilation,
                start.Options);
            start.RegisterOperationBlockStartAction(blockStart =>
            {
                var readsCredential = new BlockFlag();
                blockStart.RegisterOperationAction(
                    operation =>
                    {
                        if (!readsCredential.IsSet && credentials.MayRead(operation.Operation))
                        {
                            readsCredential.Set();
                        }
                    },
                    OperationKind.PropertyReference,
                    OperationKind.Invocation);
                blockStart.RegisterOperationBlockEndAction(block =>
                {
                    if (readsCredential.IsSet)
                    {
                        AnalyzeBody(block, facts);
                    }
                });
            });
        });
    }

    private static void AnalyzeBody(OperationBlockAnalysisContext context, CompilationFacts facts)
    {
        if (context.OperationBlocks.IsDefaultOrEmpty)
        {
            return;
        }

        var trace = ValueTrace.Build(context.OperationBlocks, facts.Sources.Inert);
        var settings = facts.Settings.For(context.OperationBlocks[0].Syntax.SyntaxTree);
        var toolResult = ExposureSinks.ToolResult(context.OwningSymbol, settings);
        var reported = new HashSet<TextSpan>();

        void Check(IOperation value, string sink)
        {
            if (!value.ConstantValue.HasValue && trace.Find(value, facts.Credentials.Classify) is { } origin && reported.Add(value.Syntax.Span))
            {
                context.ReportUnlessBaselined(Diagnostic.Create(
                    RuleCatalog.IncomingCredentialsForwarded, value.Syntax.GetLocation(), Shorten(value.Syntax.ToString()), origin.Description, sink));
            }
        }

        foreach (var block in context.OperationBlocks)
        {
            foreach (var operation in block.DescendantsAndSelf())
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                if (facts.Outbound.Find(operation) is { } header)
                {
                    Check(header.Value, header.Description);
                    continue;
                }

                if (facts.Sinks.Find(operation, toolResult, settings) is { } sink && (sink.Roles & SinkRoles.Result) != 0)
                {
                    foreach (var value in sink.Values)
                    {
                        foreach (var leaf in SinkValues.Leaves(value))
                        {
                            Check(leaf, sink.Description);
                        }
                    }
                }
            }
        }

        if (facts.Process is { } processSymbols)
        {
            var launches = ProcessLaunches.Collect(context.OperationBlocks, processSymbols);
            if (launches.IsEmpty)
            {
                return;
            }

            var locals = new LocalValues(context.OperationBlocks);
            foreach (var launch in launches)
            {
                var program = "'" + ProcessStartAnalyzer.ExecutableDisplay(launch, locals) + "'";
                foreach (var value in launch.EnvironmentValues)
                {
                    Check(value.Value, "the environment of the child process " + program);
                }

                foreach (var value in launch.Arguments.Concat(launch.ArgumentItems))
                {
                    Check(value.Value, "the command line of " + program);
                }
            }
        }
    }

    private static string Shorten(string text)
    {
        var singleLine = string.Join(" ", text.Split(new[] { '\r', '\n' }, System.StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        return singleLine.Length <= 60 ? singleLine : singleLine.Substring(0, 57) + "...";
    }

    /// <summary>What every body of one compilation shares, resolved once.</summary>
    private sealed class CompilationFacts
    {
        public CompilationFacts(
            IncomingCredentials credentials,
            OutboundHeaders outbound,
            ProcessSymbols? process,
            UntrustedInputSources sources,
            Compilation compilation,
            AnalyzerOptions options)
        {
            Credentials = credentials;
            Outbound = outbound;
            Process = process;
            Sources = sources;
            var exposure = DataExposureSymbols.Create(compilation);
            Settings = new DataExposureSettings.Cache(compilation, options.AnalyzerConfigOptionsProvider, exposure);
            Sinks = new ExposureSinks(exposure, sources.ToolFactories);
        }

        public IncomingCredentials Credentials { get; }

        public OutboundHeaders Outbound { get; }

        public ProcessSymbols? Process { get; }

        public UntrustedInputSources Sources { get; }

        public DataExposureSettings.Cache Settings { get; }

        public ExposureSinks Sinks { get; }
    }
}
