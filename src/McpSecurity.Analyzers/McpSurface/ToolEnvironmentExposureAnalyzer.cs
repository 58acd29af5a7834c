using System.Collections.Generic;
using System.Collections.Immutable;
using McpSecurity.Analyzers.Baseline;
using McpSecurity.Analyzers.DataExposure;
using McpSecurity.Analyzers.Secrets;
using McpSecurity.Analyzers.Shared;
using McpSecurity.Analyzers.Shared.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// MCPSEC608: what an MCP client receives (the result of a tool, prompt or resource, a protocol
/// content block: the <see cref="SinkRoles.Result"/> sinks of <see cref="ExposureSinks"/>, shared with
/// MCPSEC503/504) carries the process environment or configuration values
/// (<see cref="EnvironmentReads"/>), followed back through locals, collections, builders and serializers
/// by <see cref="ValueTrace"/>. A value that MCPSEC504 reports as a secret is left to it: one finding
/// per value. Only bodies that read the environment or configuration are traced.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ToolEnvironmentExposureAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(RuleCatalog.ToolExposesEnvironment);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = DataExposureSymbols.Create(start.Compilation);
            if (symbols.Exception is null)
            {
                return;
            }

            var sources = UntrustedInputSources.Create(start.Compilation, start.Options);
            var settings = new DataExposureSettings.Cache(start.Compilation, start.Options.AnalyzerConfigOptionsProvider, symbols);
            var sinks = new ExposureSinks(symbols, sources.ToolFactories);
            start.RegisterOperationBlockStartAction(blockStart =>
            {
                var reads = new BlockFlag();
                blockStart.RegisterOperationAction(
                    operation =>
                    {
                        if (!reads.IsSet && ReadsEnvironmentOrConfiguration(operation.Operation, symbols.Secrets))
                        {
                            reads.Set();
                        }
                    },
                    OperationKind.Invocation,
                    OperationKind.PropertyReference);
                blockStart.RegisterOperationBlockEndAction(block =>
                {
                    if (reads.IsSet)
                    {
                        AnalyzeBody(block, symbols, sources, settings, sinks);
                    }
                });
            });
        });
    }

    private static bool ReadsEnvironmentOrConfiguration(IOperation operation, SecretSymbols symbols)
        => operation switch
        {
            IInvocationOperation invocation => SecretSymbols.Is(invocation.TargetMethod.ContainingType, symbols.Environment)
                || SecretSymbols.Is(invocation.TargetMethod.ContainingType, symbols.ConfigurationBinder)
                || SecretSymbols.Is(invocation.TargetMethod.ContainingType, symbols.ConfigurationExtensions)
                || symbols.IsConfiguration(invocation.Instance?.Type)
                || invocation.TargetMethod.Name == "GetDebugView",
            IPropertyReferenceOperation property => symbols.IsConfiguration(property.Instance?.Type),
            _ => false,
        };

    private static void AnalyzeBody(
        OperationBlockAnalysisContext context, DataExposureSymbols symbols, UntrustedInputSources sources, DataExposureSettings.Cache settingsCache, ExposureSinks sinks)
    {
        if (context.OperationBlocks.IsDefaultOrEmpty)
        {
            return;
        }

        var settings = settingsCache.For(context.OperationBlocks[0].Syntax.SyntaxTree);
        var toolResult = ExposureSinks.ToolResult(context.OwningSymbol, settings);
        ValueTrace? trace = null;
        UntrustedInputModel? untrusted = null;
        EnvironmentReads? reads = null;
        SecretValues? secrets = null;
        var reported = new HashSet<TextSpan>();
        foreach (var block in context.OperationBlocks)
        {
            foreach (var operation in block.DescendantsAndSelf())
            {
                if (sinks.Find(operation, toolResult, settings) is not { } sink || (sink.Roles & SinkRoles.Result) == 0)
                {
                    continue;
                }

                trace ??= ValueTrace.Build(context.OperationBlocks, sources.Inert);
                if (reads is null)
                {
                    reads = new EnvironmentReads(symbols.Secrets, name =>
                    {
                        untrusted ??= sources.ForMethod(context.OwningSymbol, context.OperationBlocks, context.CancellationToken);
                        return untrusted.IsUntrusted(name, out var source) ? source : null;
                    });
                    reads.Use(trace);
                }

                foreach (var value in sink.Values)
                {
                    foreach (var leaf in SinkValues.Leaves(value))
                    {
                        if (trace.Find(leaf, reads.Classify) is not { } origin)
                        {
                            continue;
                        }

                        // MCPSEC504 reports a secret-named value on its way out; one finding per value.
                        secrets ??= new SecretValues(symbols, settings.SecretNames);
                        if (trace.Find(leaf, secrets.Classify) is not null || !reported.Add(origin.Operation.Syntax.Span))
                        {
                            continue;
                        }

                        context.ReportUnlessBaselined(Diagnostic.Create(
                            RuleCatalog.ToolExposesEnvironment,
                            origin.Operation.Syntax.GetLocation(),
                            Shorten(origin.Operation.Syntax.ToString()),
                            origin.Description,
                            sink.Description));
                    }
                }
            }
        }
    }

    private static string Shorten(string text)
    {
        var singleLine = string.Join(" ", text.Split(new[] { '\r', '\n' }, System.StringSplitOptions.RemoveEmptyEntries)).Trim();
        return singleLine.Length <= 60 ? singleLine : singleLine.Substring(0, 57) + "...";
    }
}
