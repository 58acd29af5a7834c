using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpSecurity.Analyzers.Baseline;

/// <summary>
/// Keeps findings recorded in the baseline (an <c>AdditionalFiles</c> item) from being reported, in
/// <c>dotnet build</c> and in the IDE alike. Every analyzer reports through it. It is not a
/// <see cref="DiagnosticSuppressor"/>: the compiler gives suppressors no diagnostic whose default
/// severity is Error, and most MCPSEC rules are errors by default.
/// </summary>
public static class BaselineFilter
{
    /// <summary>The <c>AdditionalFiles</c> metadata the package's build files set on the baseline item.</summary>
    public const string MetadataKey = "build_metadata.AdditionalFiles.McpSecurityBaseline";

    private static readonly ConditionalWeakTable<AnalyzerOptions, LoadedBaseline> Loaded = new();

    public static void ReportUnlessBaselined(this OperationAnalysisContext context, Diagnostic diagnostic)
    {
        if (!IsBaselined(context.Options, diagnostic, context.CancellationToken))
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    public static void ReportUnlessBaselined(this OperationBlockAnalysisContext context, Diagnostic diagnostic)
    {
        if (!IsBaselined(context.Options, diagnostic, context.CancellationToken))
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    public static void ReportUnlessBaselined(this SyntaxNodeAnalysisContext context, Diagnostic diagnostic)
    {
        if (!IsBaselined(context.Options, diagnostic, context.CancellationToken))
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    public static void ReportUnlessBaselined(this SymbolAnalysisContext context, Diagnostic diagnostic)
    {
        if (!IsBaselined(context.Options, diagnostic, context.CancellationToken))
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    public static void ReportUnlessBaselined(this CompilationAnalysisContext context, Diagnostic diagnostic)
    {
        if (!IsBaselined(context.Options, diagnostic, context.CancellationToken))
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary>True when the baseline among <paramref name="options"/>' additional files records <paramref name="diagnostic"/>.</summary>
    public static bool IsBaselined(AnalyzerOptions options, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var baseline = Loaded.GetValue(options, Load);
        if (baseline.Entries.Count == 0 || diagnostic.Location.SourceTree is not { } tree)
        {
            return false;
        }

        // Cheap first: most findings are in files, or of rules, the baseline does not name.
        var file = FindingFingerprint.RelativePath(tree.FilePath, baseline.Directory);
        if (!baseline.RulesInFiles.Contains(diagnostic.Id + "\t" + file))
        {
            return false;
        }

        return FindingFingerprint.Of(diagnostic, baseline.Directory, cancellationToken) is { } entry && baseline.Entries.Contains(entry);
    }

    /// <summary>
    /// <paramref name="options"/> without the baseline: the command line records and compares findings
    /// itself, so its analyzers must report every one.
    /// </summary>
    public static AnalyzerOptions WithoutBaseline(AnalyzerOptions options)
    {
        var kept = options.AdditionalFiles.RemoveAll(file => IsBaselineFile(options, file));
        return kept.Length == options.AdditionalFiles.Length ? options : new AnalyzerOptions(kept, options.AnalyzerConfigOptionsProvider);
    }

    private static bool IsBaselineFile(AnalyzerOptions options, AdditionalText file)
        => string.Equals(Path.GetFileName(file.Path), BaselineFile.DefaultFileName, StringComparison.OrdinalIgnoreCase)
            || (options.AnalyzerConfigOptionsProvider.GetOptions(file).TryGetValue(MetadataKey, out var marked)
                && string.Equals(marked, "true", StringComparison.OrdinalIgnoreCase));

    private static LoadedBaseline Load(AnalyzerOptions options)
    {
        foreach (var file in options.AdditionalFiles)
        {
            if (!IsBaselineFile(options, file))
            {
                continue;
            }

            // A baseline that does not parse hides nothing: every finding is reported, which fails the
            // gate closed; 'mcpsec scan --baseline' names the line that is wrong.
            if (file.GetText() is { } text && BaselineFile.TryParse(text.ToString(), out var parsed, out _) && parsed is not null)
            {
                return new LoadedBaseline(Path.GetDirectoryName(file.Path) ?? string.Empty, parsed.Entries);
            }
        }

        return LoadedBaseline.None;
    }

    private sealed class LoadedBaseline
    {
        public static readonly LoadedBaseline None = new(string.Empty, ImmutableArray<BaselineEntry>.Empty);

        public LoadedBaseline(string directory, ImmutableArray<BaselineEntry> entries)
        {
            Directory = directory;
            Entries = new HashSet<BaselineEntry>(entries);
            RulesInFiles = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                RulesInFiles.Add(entry.RuleId + "\t" + entry.File);
            }
        }

        public string Directory { get; }

        public HashSet<BaselineEntry> Entries { get; }

        public HashSet<string> RulesInFiles { get; }
    }
}
