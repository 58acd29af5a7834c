using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpSecurity.Benchmarks;

/// <summary>
/// What the analyzers add to a build: the corpus compiled and bound with no analyzer (the baseline),
/// then with every McpSecurity analyzer. Each operation starts from a fresh clone of the compilation,
/// so no semantic work is cached between operations.
/// </summary>
[MemoryDiagnoser]
public class AnalyzerOverheadBenchmarks
{
    private Compilation compilation = null!;

    [GlobalSetup]
    public void Setup() => compilation = Corpus.Compile();

    [Benchmark(Baseline = true, Description = "Compilation only")]
    public int CompilationOnly() => compilation.Clone().GetDiagnostics().Length;

    /// <summary>The analyzer driver's own cost (compilation events, IOperation trees) with an analyzer that does nothing.</summary>
    [Benchmark(Description = "Compilation + a no-op analyzer (driver cost)")]
    public async Task<int> NoOpAnalyzer()
        => (await compilation.Clone().WithAnalyzers([new NoOpAnalyzer()]).GetAllDiagnosticsAsync()).Length;

    [Benchmark(Description = "Compilation + all McpSecurity analyzers")]
    public async Task<int> AllAnalyzers()
        => (await compilation.Clone().WithAnalyzers(Corpus.Analyzers).GetAllDiagnosticsAsync()).Length;
}

/// <summary>Each analyzer alone over the same corpus (compilation included: subtract the baseline above).</summary>
[MemoryDiagnoser]
public class PerAnalyzerBenchmarks
{
    private Compilation compilation = null!;
    private ImmutableArray<DiagnosticAnalyzer> analyzer;

    public static IEnumerable<string> AnalyzerNames => Corpus.Analyzers.Select(a => a.GetType().Name);

    [ParamsSource(nameof(AnalyzerNames))]
    public string Analyzer { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        compilation = Corpus.Compile();
        analyzer = [Corpus.Analyzers.Single(a => a.GetType().Name == Analyzer)];
    }

    [Benchmark]
    public async Task<int> CompilationWithOneAnalyzer()
        => (await compilation.Clone().WithAnalyzers(analyzer).GetAllDiagnosticsAsync()).Length;
}

/// <summary>Asks for what our analyzers ask for (operation callbacks in every body) and does nothing with it.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NoOpAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Unused = new("NOOP001", "Unused", "Unused", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Unused];

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(_ => { }, OperationKind.Invocation, OperationKind.CatchClause, OperationKind.ObjectCreation, OperationKind.Literal);
    }
}

/// <summary>
/// The library-shaped corpus (no process, no MCP, no logging): compilation alone, the no-op driver,
/// all analyzers, and each analyzer alone. Here the analyzers should cost next to nothing.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(5)]
public class LibraryCorpusBenchmarks
{
    private Compilation compilation = null!;

    public static IEnumerable<string> AnalyzerNames => new[] { "(none)", "(no-op)", "(all)" }.Concat(Corpus.Analyzers.Select(a => a.GetType().Name));

    [ParamsSource(nameof(AnalyzerNames))]
    public string Analyzer { get; set; } = "";

    private ImmutableArray<DiagnosticAnalyzer> analyzers;

    [GlobalSetup]
    public void Setup()
    {
        compilation = LibraryCorpus.Compile();
        analyzers = Analyzer switch
        {
            "(none)" => [],
            "(no-op)" => [new NoOpAnalyzer()],
            "(all)" => Corpus.Analyzers,
            _ => [Corpus.Analyzers.Single(a => a.GetType().Name == Analyzer)],
        };
    }

    [Benchmark]
    public async Task<int> LibraryCompilation()
        => analyzers.IsEmpty
            ? compilation.Clone().GetDiagnostics().Length
            : (await compilation.Clone().WithAnalyzers(analyzers).GetAllDiagnosticsAsync()).Length;
}
