using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpSecurity.Analyzers.DataExposure;

/// <summary>
/// The options of the data-exposure rules in force for one file, with their type names resolved.
/// Most files share one configuration: it is parsed and resolved once per distinct text.
/// </summary>
internal sealed class DataExposureSettings
{
    private DataExposureSettings(
        ImmutableArray<string> toolAttributes,
        ArgumentCollections arguments,
        SecretNameOptions secretNames,
        ImmutableArray<INamedTypeSymbol> logSinkTypes,
        ImmutableArray<ErrorReportEntry> errorReportMethods)
    {
        ToolAttributes = toolAttributes;
        Arguments = arguments;
        SecretNames = secretNames;
        LogSinkTypes = logSinkTypes;
        ErrorReportMethods = errorReportMethods;
    }

    private readonly ConcurrentDictionary<IMethodSymbol, bool> errorReports = new(SymbolEqualityComparer.Default);

    public ImmutableArray<string> ToolAttributes { get; }

    public ArgumentCollections Arguments { get; }

    public SecretNameOptions SecretNames { get; }

    /// <summary>Loggers other than Microsoft.Extensions.Logging (<c>mcpsec.log_sink_types</c>) present in the compilation.</summary>
    public ImmutableArray<INamedTypeSymbol> LogSinkTypes { get; }

    /// <summary>Error-report types and methods named by <c>mcpsec.error_report_methods</c> present in the compilation.</summary>
    public ImmutableArray<ErrorReportEntry> ErrorReportMethods { get; }

    /// <summary>Whether <paramref name="method"/> sends an error report, decided once per method and configuration.</summary>
    public bool IsErrorReport(IMethodSymbol method, Func<IMethodSymbol, DataExposureSettings, bool> decide)
    {
        // Asked for every call: a cached answer allocates nothing (no closure over these settings).
        var key = method.OriginalDefinition;
        return errorReports.TryGetValue(key, out var known) ? known : errorReports.GetOrAdd(key, decide(key, this));
    }

    /// <summary>Per-compilation cache: create in <c>RegisterCompilationStartAction</c>.</summary>
    internal sealed class Cache
    {
        private readonly Compilation compilation;
        private readonly AnalyzerConfigOptionsProvider options;
        private readonly DataExposureSymbols symbols;
        private readonly ConcurrentDictionary<SyntaxTree, DataExposureSettings> byTree = new();
        private readonly ConcurrentDictionary<string, DataExposureSettings> byText = new(StringComparer.Ordinal);

        public Cache(Compilation compilation, AnalyzerConfigOptionsProvider options, DataExposureSymbols symbols)
        {
            this.compilation = compilation;
            this.options = options;
            this.symbols = symbols;
        }

        public DataExposureSettings For(SyntaxTree tree)
            => byTree.GetOrAdd(tree, t =>
            {
                var tools = RuleOptionReader.GetList(options, t, RuleCatalog.ToolAttributes);
                var arguments = RuleOptionReader.GetList(options, t, RuleCatalog.ArgumentCollectionNames);
                var logTypes = RuleOptionReader.GetList(options, t, RuleCatalog.LogSinkTypes);
                var reports = RuleOptionReader.GetList(options, t, RuleCatalog.ErrorReportMethods);
                var secretNames = SecretNameOptions.Read(options, t);
                var text = string.Join(";", tools) + "|" + string.Join(";", arguments) + "|" + string.Join(";", logTypes) + "|"
                    + string.Join(";", reports) + "|" + RuleOptionReader.GetString(options, t, RuleCatalog.SecretWords) + "|"
                    + RuleOptionReader.GetString(options, t, RuleCatalog.SecretDescriptorWords);
                return byText.GetOrAdd(text, _ => new DataExposureSettings(
                    tools,
                    new ArgumentCollections(arguments, symbols),
                    secretNames,
                    logTypes.Select(compilation.GetTypeByMetadataName).Where(s => s is not null).Select(s => s!).ToImmutableArray(),
                    reports.Select(entry => ErrorReportEntry.Parse(compilation, entry)).Where(e => e is not null).Select(e => e!).ToImmutableArray()));
            });
    }
}

/// <summary>One entry of <c>mcpsec.error_report_methods</c>: a type (every method) or one method of it.</summary>
internal sealed class ErrorReportEntry
{
    private ErrorReportEntry(INamedTypeSymbol type, string? method)
    {
        Type = type;
        Method = method;
    }

    public INamedTypeSymbol Type { get; }

    public string? Method { get; }

    public static ErrorReportEntry? Parse(Compilation compilation, string entry)
    {
        if (compilation.GetTypeByMetadataName(entry) is { } type)
        {
            return new ErrorReportEntry(type, null);
        }

        var dot = entry.LastIndexOf('.');
        return dot > 0 && compilation.GetTypeByMetadataName(entry.Substring(0, dot)) is { } owner
            ? new ErrorReportEntry(owner, entry.Substring(dot + 1))
            : null;
    }
}
