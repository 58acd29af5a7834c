using System.Collections.Generic;
using System.Collections.Immutable;
using McpSecurity.Analyzers.Baseline;
using McpSecurity.Analyzers.Shared.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace McpSecurity.Analyzers.DataExposure;

/// <summary>
/// Guide S5, data exposure: MCPSEC501 (argument values written to logs), MCPSEC502 (argument values
/// in exception messages and error reports), MCPSEC503 (exception details returned to the caller) and
/// MCPSEC504 (secret values logged). One analyzer owns the four because they share the sinks and
/// must report each value once: a secret wins over client input, client input over exception details.
/// <para>
/// Per method body, in one pass: find the sinks (<see cref="ExposureSinks"/>), open each value into
/// its pieces (<see cref="SinkValues"/>), and ask where each piece comes from — the untrusted-input
/// model (with arguments collections as extra sources) for 501/502, <see cref="ValueTrace"/> for
/// secrets and exception details. The models are built only for bodies that have a sink.
/// </para>
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DataExposureAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        RuleCatalog.ArgumentValuesLogged,
        RuleCatalog.ArgumentValuesInErrors,
        RuleCatalog.ExceptionDetailsReturned,
        RuleCatalog.SecretValueLogged);

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
            var incoming = McpSurface.IncomingCredentials.Create(start.Compilation);
            start.RegisterOperationBlockAction(block => AnalyzeBody(block, symbols, sources, settings, sinks, incoming));
        });
    }

    private static void AnalyzeBody(
        OperationBlockAnalysisContext context,
        DataExposureSymbols symbols,
        UntrustedInputSources sources,
        DataExposureSettings.Cache settingsCache,
        ExposureSinks sinks,
        McpSurface.IncomingCredentials incoming)
    {
        if (context.OperationBlocks.IsDefaultOrEmpty)
        {
            return;
        }

        var settings = settingsCache.For(context.OperationBlocks[0].Syntax.SyntaxTree);
        var body = new Body(context, symbols, sources, settings, incoming);
        var toolResult = ExposureSinks.ToolResult(context.OwningSymbol, settings);
        foreach (var block in context.OperationBlocks)
        {
            foreach (var operation in block.DescendantsAndSelf())
            {
                if (sinks.Find(operation, toolResult, settings) is { } sink)
                {
                    foreach (var value in sink.Values)
                    {
                        foreach (var leaf in SinkValues.Leaves(value))
                        {
                            body.Check(leaf, sink);
                        }
                    }
                }
            }
        }

        body.ReportAll();
    }

    /// <summary>The lazily built models of one body and the values already reported in it.</summary>
    private sealed class Body
    {
        private readonly OperationBlockAnalysisContext context;
        private readonly DataExposureSymbols symbols;
        private readonly UntrustedInputSources sources;
        private readonly DataExposureSettings settings;
        private readonly McpSurface.IncomingCredentials incoming;
        private readonly List<Finding> findings = new();
        private UntrustedInputModel? untrusted;
        private ValueTrace? trace;
        private SecretValues? secrets;
        private ExceptionDetails? exceptions;

        public Body(
            OperationBlockAnalysisContext context, DataExposureSymbols symbols, UntrustedInputSources sources, DataExposureSettings settings, McpSurface.IncomingCredentials incoming)
        {
            this.context = context;
            this.symbols = symbols;
            this.sources = sources;
            this.settings = settings;
            this.incoming = incoming;
        }

        private ValueTrace Trace => trace ??= ValueTrace.Build(context.OperationBlocks, sources.Inert);

        private UntrustedInputModel Untrusted
            => untrusted ??= sources.ForMethod(context.OwningSymbol, context.OperationBlocks, settings.Arguments.SourceName, context.CancellationToken);

        public void Check(IOperation leaf, Sink sink)
        {
            // values.Count, a parsed number, a flag: nothing to trace, and no model to build for them.
            if (leaf.Type is { } type && sources.Inert.IsInert(type))
            {
                return;
            }

            secrets ??= new SecretValues(symbols, settings.SecretNames);
            if ((sink.Roles & ~SinkRoles.HttpResponse) != 0 && Trace.Find(leaf, secrets.Classify) is { } secret)
            {
                // The caller's own token returned to a client is MCPSEC607's finding (forwarded credentials), not a second one here.
                if ((sink.Roles & (SinkRoles.Log | SinkRoles.ErrorMessage | SinkRoles.ErrorReport)) == 0 && incoming.CanExist
                    && Trace.Find(leaf, incoming.Classify) is not null)
                {
                    return;
                }

                Report(RuleCatalog.SecretValueLogged, leaf, secret.Operation, secret.Description, sink.Description);
                return;
            }

            if ((sink.Roles & (SinkRoles.Log | SinkRoles.ErrorMessage | SinkRoles.ErrorReport)) != 0
                && !settings.Arguments.IsKeysOnly(leaf, Trace)
                && Untrusted.IsUntrusted(leaf, out var source))
            {
                var rule = (sink.Roles & SinkRoles.Log) != 0 ? RuleCatalog.ArgumentValuesLogged : RuleCatalog.ArgumentValuesInErrors;
                Report(rule, leaf, leaf, source, sink.Description);
                return;
            }

            if ((sink.Roles & (SinkRoles.Result | SinkRoles.HttpResponse)) != 0 && !DevelopmentChecks.IsInDevelopmentBranch(leaf))
            {
                exceptions ??= new ExceptionDetails(symbols);
                if ((Trace.Find(leaf, exceptions.ClassifyText, outsideDevelopment: true) ?? Trace.Find(leaf, exceptions.Classify, outsideDevelopment: true)) is { } detail)
                {
                    Report(
                        RuleCatalog.ExceptionDetailsReturned,
                        leaf,
                        detail.Operation,
                        detail.Description,
                        sink.Description,
                        detail.Kind == OriginKind.ExceptionMessage ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error);
                }
            }
        }

        private void Report(
            DiagnosticDescriptor rule,
            IOperation leaf,
            IOperation origin,
            string originText,
            string sink,
            DiagnosticSeverity? severity = null)
        {
            var location = leaf.Syntax.GetLocation();
            var text = Shorten(leaf.Syntax.ToString());
            var diagnostic = severity is { } effective && effective != rule.DefaultSeverity
                ? Diagnostic.Create(rule, location, effective, additionalLocations: null, properties: null, text, originText, sink)
                : Diagnostic.Create(rule, location, text, originText, sink);
            findings.Add(new Finding(diagnostic, leaf.Syntax.Span, origin.Syntax.Span));
        }

        /// <summary>
        /// Reports each finding once: the same value reached through two sinks (a content block inside
        /// a result, a ProblemDetails inside Results.Ok) is reported where it is written, not again at
        /// the outer sink whose value merely contains it.
        /// </summary>
        public void ReportAll()
        {
            var seen = new HashSet<(string, TextSpan)>();
            foreach (var finding in findings)
            {
                var id = finding.Diagnostic.Id;
                if (finding.Origin != finding.Leaf && finding.Leaf.Contains(finding.Origin)
                    && findings.Exists(other => other.Diagnostic.Id == id && other.Leaf == finding.Origin))
                {
                    continue;
                }

                if (seen.Add((id, finding.Leaf)))
                {
                    context.ReportUnlessBaselined(finding.Diagnostic);
                }
            }
        }

        private static string Shorten(string text)
        {
            var singleLine = string.Join(" ", text.Split(new[] { '\r', '\n' }, System.StringSplitOptions.RemoveEmptyEntries)).Trim();
            return singleLine.Length <= 60 ? singleLine : singleLine.Substring(0, 57) + "...";
        }
    }

    private readonly struct Finding
    {
        public Finding(Diagnostic diagnostic, TextSpan leaf, TextSpan origin)
        {
            Diagnostic = diagnostic;
            Leaf = leaf;
            Origin = origin;
        }

        public Diagnostic Diagnostic { get; }

        public TextSpan Leaf { get; }

        public TextSpan Origin { get; }
    }
}
