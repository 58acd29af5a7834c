using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using McpSecurity.Analyzers.Baseline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace McpSecurity.Benchmarks;

/// <summary>
/// What an adoption baseline costs a build: every analyzer over the corpus without a baseline, and with
/// one that records every finding (each reported finding is then fingerprinted and looked up).
/// </summary>
[MemoryDiagnoser]
public class BaselineBenchmarks
{
    private Compilation compilation = null!;
    private AnalyzerOptions withBaseline = null!;

    [GlobalSetup]
    public void Setup()
    {
        compilation = Corpus.Compile();
        var findings = compilation.WithAnalyzers(Corpus.Analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        var entries = findings.Select(d => FindingFingerprint.Of(d, string.Empty, CancellationToken.None)).OfType<BaselineEntry>();
        withBaseline = new AnalyzerOptions([new InMemoryText(BaselineFile.DefaultFileName, BaselineFile.Write(entries))]);

        // Never time a broken setup: with the baseline, nothing may be left to report.
        var left = compilation.WithAnalyzers(Corpus.Analyzers, withBaseline).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        if (findings.IsEmpty || !left.IsEmpty)
        {
            throw new InvalidOperationException($"{findings.Length} findings, {left.Length} left with every one in the baseline.");
        }
    }

    [Benchmark(Baseline = true, Description = "All analyzers, no baseline")]
    public async Task<int> NoBaseline()
        => (await compilation.Clone().WithAnalyzers(Corpus.Analyzers).GetAllDiagnosticsAsync()).Length;

    [Benchmark(Description = "All analyzers, every finding in the baseline")]
    public async Task<int> EveryFindingBaselined()
        => (await compilation.Clone().WithAnalyzers(Corpus.Analyzers, withBaseline).GetAllDiagnosticsAsync()).Length;

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText content = SourceText.From(text);

        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => content;
    }
}
