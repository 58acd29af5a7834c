using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using McpSecurity.Analyzers.Baseline;
using McpSecurity.Analyzers.Shared;
using McpSecurity.Analyzers.Shared.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// MCPSEC605: untrusted MCP input (the model of <see cref="UntrustedInputSources"/>, shared with the
/// process and data-exposure rules) reaches the path argument of a file-system API
/// (<see cref="FilePathSinks"/>) with no containment check before it (<see cref="PathContainment"/>).
/// Per body, and only for bodies that call a file API: the input model and the checks are built
/// then, once.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ToolFilePathAnalyzer : DiagnosticAnalyzer
{
    private const int MaxEvidenceLength = 40;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(RuleCatalog.ToolInputReachesFilePath);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (FilePathSinks.Create(start.Compilation) is not { } sinks)
            {
                return;
            }

            var sources = UntrustedInputSources.Create(start.Compilation, start.Options);
            var containment = new PathContainment(start.Compilation, sources.Inert);
            var helpers = new FilePathHelpers(sinks, sources, containment);
            start.RegisterOperationBlockStartAction(blockStart =>
            {
                // Most bodies never touch a file: build the model only where one does.
                var touched = new BlockFlag();
                blockStart.RegisterOperationAction(
                    operation =>
                    {
                        if (!touched.IsSet && (sinks.IsCandidate(operation.Operation)
                            || operation.Operation is IInvocationOperation invocation && FilePathHelpers.IsCandidate(invocation)))
                        {
                            touched.Set();
                        }
                    },
                    OperationKind.Invocation,
                    OperationKind.ObjectCreation);
                blockStart.RegisterOperationBlockEndAction(block =>
                {
                    if (touched.IsSet)
                    {
                        AnalyzeBlock(block, sinks, sources, containment, helpers);
                    }
                });
            });
        });
    }

    private static void AnalyzeBlock(
        OperationBlockAnalysisContext context, FilePathSinks sinks, UntrustedInputSources sources, PathContainment containment, FilePathHelpers helpers)
    {
        var found = new List<FilePathSink>();
        var calls = new List<IInvocationOperation>();
        foreach (var block in context.OperationBlocks)
        {
            foreach (var operation in block.DescendantsAndSelf())
            {
                sinks.Collect(operation, found);
                if (operation is IInvocationOperation invocation && FilePathHelpers.IsCandidate(invocation)
                    && !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, context.OwningSymbol.OriginalDefinition))
                {
                    calls.Add(invocation);
                }
            }
        }

        if (found.Count == 0 && calls.Count == 0)
        {
            return;
        }

        var model = sources.ForMethod(context.OwningSymbol, context.OperationBlocks, context.CancellationToken);
        if (!model.HasSources)
        {
            return;
        }

        // tool → service.ReadNote(path) → File.ReadAllText(…): the helper's file call, reported at the tool's argument.
        foreach (var call in calls)
        {
            foreach (var argument in call.Arguments)
            {
                if (argument.Parameter is { } parameter && !argument.Value.ConstantValue.HasValue && model.IsUntrusted(argument.Value)
                    && helpers.Summary(call.TargetMethod).TryGetValue(parameter.Ordinal, out var reached))
                {
                    found.Add(new FilePathSink(call, argument.Value, reached.ApiName + "' in '" + HelperName(call.TargetMethod), reached.IsDirectory));
                }
            }
        }

        PathContainment.Body? checks = null;
        var reported = new HashSet<TextSpan>();
        foreach (var sink in found)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (sink.Path.ConstantValue.HasValue || !model.IsUntrusted(sink.Path, out var source))
            {
                continue;
            }

            checks ??= containment.ForBody(context.OperationBlocks, context.OwningSymbol);
            if (checks.IsContained(sink, model.IsUntrusted) || !reported.Add(sink.Path.Syntax.Span))
            {
                continue;
            }

            context.ReportUnlessBaselined(Diagnostic.Create(
                RuleCatalog.ToolInputReachesFilePath,
                sink.Path.Syntax.GetLocation(),
                sink.ApiName,
                Shorten(source)));
        }
    }

    private static string HelperName(IMethodSymbol method)
        => method.ContainingType is null ? method.Name : method.ContainingType.Name + "." + method.Name;

    private static string Shorten(string text)
    {
        text = string.Join(" ", text.Split(new[] { '\r', '\n' }, System.StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        return text.Length <= MaxEvidenceLength ? text : text.Substring(0, MaxEvidenceLength - 1) + "…";
    }
}
