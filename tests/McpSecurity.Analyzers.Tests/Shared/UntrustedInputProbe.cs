// A test-only probe, never shipped: the rules for shipped analyzers do not apply.
#pragma warning disable RS1036, RS1038, RS1041, RS2008

using System.Collections.Immutable;
using McpSecurity.Analyzers.Shared.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.Tests.Shared;

/// <summary>
/// A test-only analyzer that shows what the untrusted-input model sees: every argument of a call to a
/// method named <c>Sink</c> that the model flags is reported as PROBE001, with the source's name as
/// the message. Tests mark the expected arguments with <c>{|PROBE001:…|}</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UntrustedInputProbe : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        "PROBE001", "Untrusted value", "{0}", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var sources = UntrustedInputSources.Create(start.Compilation, start.Options);
            start.RegisterOperationBlockAction(block =>
            {
                var model = sources.ForMethod(block.OwningSymbol, block.OperationBlocks, block.CancellationToken);
                foreach (var operation in block.OperationBlocks.SelectMany(b => b.DescendantsAndSelf()))
                {
                    if (operation is IInvocationOperation { TargetMethod.Name: "Sink" } sink)
                    {
                        var values = sink.Arguments.SelectMany(a => a.ArgumentKind == ArgumentKind.ParamArray && a.Value is IArrayCreationOperation { Initializer: { } items }
                            ? items.ElementValues
                            : ImmutableArray.Create(a.Value));
                        foreach (var value in values)
                        {
                            if (model.IsUntrusted(value, out var source))
                            {
                                block.ReportDiagnostic(Diagnostic.Create(Rule, value.Syntax.GetLocation(), source));
                            }
                        }
                    }
                }
            });
        });
    }
}
