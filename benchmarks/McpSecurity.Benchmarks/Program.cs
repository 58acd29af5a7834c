using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using McpSecurity.Benchmarks;
using Microsoft.CodeAnalysis.Diagnostics;

// `dotnet run -c Release --project benchmarks/McpSecurity.Benchmarks -- --filter '*'`
// Reports (Markdown and CSV) go to benchmarks/results/. Before measuring, a sanity check: the corpus
// compiles and the analyzers report what was planted, so a benchmark never times a broken setup.
var compilation = Corpus.Compile();
var errors = compilation.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
if (errors.Count > 0)
{
    Console.Error.WriteLine($"The corpus does not compile: {errors[0]}");
    return 2;
}

var findings = await compilation.WithAnalyzers(Corpus.Analyzers).GetAnalyzerDiagnosticsAsync();
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"Corpus: {Corpus.FileCount} files, {Corpus.LineCount(compilation)} lines, {Corpus.Analyzers.Length} analyzers, {findings.Length} findings ({string.Join(", ", findings.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}×{g.Count()}"))})"));

var library = LibraryCorpus.Compile();
var libraryErrors = library.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
if (libraryErrors.Count > 0)
{
    Console.Error.WriteLine($"The library corpus does not compile: {libraryErrors[0]}");
    return 2;
}

var libraryFindings = await library.WithAnalyzers(Corpus.Analyzers).GetAnalyzerDiagnosticsAsync();
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"Library corpus: {LibraryCorpus.FileCount} files, {Corpus.LineCount(library)} lines, {libraryFindings.Length} findings{string.Concat(libraryFindings.Take(5).Select(d => "\n  " + d))}"));

var config = ManualConfig.Create(DefaultConfig.Instance)
    .WithArtifactsPath(Path.Combine(RepositoryRoot(), "benchmarks"))
    .AddJob(Job.ShortRun.WithIterationCount(10).WithToolchain(InProcessEmitToolchain.Instance))
    .AddExporter(MarkdownExporter.GitHub, CsvExporter.Default)
    .WithOptions(ConfigOptions.JoinSummary);

BenchmarkSwitcher.FromAssembly(typeof(Corpus).Assembly).Run(args, config);
return 0;

static string RepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "McpSecurity.sln")))
        {
            return directory.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
