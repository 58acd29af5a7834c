using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpSecurity.Server.Engine;

/// <summary>
/// The one scanning and fixing engine behind the command line and the MCP tools: each project is
/// compiled once and every analyzer runs over it in one <see cref="CompilationWithAnalyzers"/> pass.
/// </summary>
public sealed class CodeEngine
{
    /// <summary>Fix All rounds per document: a fix can reveal another finding, but never loop forever.</summary>
    private const int MaxFixRounds = 5;

    private readonly Func<string, IEnumerable<CodeFixProvider>> fixersFor;

    private readonly SyntaxLimits limits;

    public CodeEngine()
        : this(AnalyzerSet.FixersFor, SyntaxLimits.Default)
    {
    }

    /// <summary>An engine with other fixers (tests give it one that fails) or other limits.</summary>
    internal CodeEngine(Func<string, IEnumerable<CodeFixProvider>> fixersFor, SyntaxLimits limits)
    {
        this.fixersFor = fixersFor;
        this.limits = limits;
    }

    /// <summary>
    /// Scans on a large-stack thread after every tree passed <see cref="SyntaxLimits"/>; a tree that
    /// breaks a limit throws <see cref="InputException"/> before anything is bound.
    /// </summary>
    public Task<ScanResult> ScanAsync(SourceSet sources, DiagnosticSeverity minimum, Action<string>? progress, CancellationToken cancellationToken)
        => LargeStackThread.RunAsync(() => ScanOnThisThreadAsync(sources, minimum, progress, cancellationToken));

    /// <summary>
    /// Applies every available Fix All to the sources (only <paramref name="ruleIds"/> when given) and
    /// reports the changed files with their diffs and the findings left unfixed. Writes nothing: the
    /// caller decides, so a dry run and a real run share the same path. A fix that throws (a bug in
    /// it or in the Roslyn it runs on) costs only its own rule in its own file: it is listed in
    /// <see cref="FixResult.Failures"/>, its findings stay in <see cref="FixResult.Unfixed"/>, and
    /// every other fix still applies. Runs on a large-stack thread after the limits are checked, as
    /// <see cref="ScanAsync"/> does.
    /// </summary>
    public Task<FixResult> FixAsync(SourceSet sources, IReadOnlyCollection<string> ruleIds, CancellationToken cancellationToken)
        => LargeStackThread.RunAsync(() => FixOnThisThreadAsync(sources, ruleIds, cancellationToken));

    private async Task CheckLimitsAsync(Project project, string displayBase, CancellationToken cancellationToken)
    {
        foreach (var document in project.Documents)
        {
            var name = DisplayPath(document.FilePath ?? document.Name, displayBase);
            limits.CheckText(await document.GetTextAsync(cancellationToken).ConfigureAwait(false), name);
            var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
            if (tree is not null)
            {
                limits.Check(tree, name, cancellationToken);
            }
        }
    }

    private async Task<ScanResult> ScanOnThisThreadAsync(SourceSet sources, DiagnosticSeverity minimum, Action<string>? progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var findings = new List<Finding>();
        var files = 0;
        foreach (var project in sources.Projects)
        {
            await CheckLimitsAsync(project, sources.DisplayBase, cancellationToken).ConfigureAwait(false);
            progress?.Invoke($"Analyzing {project.Name} ({project.Documents.Count(document => document.FilePath is not null)} files)");
            files += project.Documents.Count(document => document.FilePath is not null);
            foreach (var diagnostic in await AnalyzeAsync(project, cancellationToken).ConfigureAwait(false))
            {
                if (diagnostic.Severity >= minimum)
                {
                    findings.Add(ToFinding(diagnostic, sources.DisplayBase));
                }
            }
        }

        findings.Sort(CompareFindings);
        return new ScanResult(findings, files, stopwatch.Elapsed.TotalMilliseconds);
    }

    private async Task<FixResult> FixOnThisThreadAsync(SourceSet sources, IReadOnlyCollection<string> ruleIds, CancellationToken cancellationToken)
    {
        var changes = new List<FileChange>();
        var unfixed = new List<Finding>();
        var failures = new List<FixFailure>();
        foreach (var original in sources.Projects)
        {
            await CheckLimitsAsync(original, sources.DisplayBase, cancellationToken).ConfigureAwait(false);
            var project = original;
            var failed = new HashSet<(DocumentId, string)>();
            for (var round = 0; round < MaxFixRounds; round++)
            {
                var diagnostics = (await AnalyzeAsync(project, cancellationToken).ConfigureAwait(false))
                    .Where(d => Selected(d.Id, ruleIds) && d.Location.IsInSource)
                    .ToList();
                var changed = false;
                foreach (var group in diagnostics.GroupBy(d => (d.Location.SourceTree!, d.Id)))
                {
                    var document = project.GetDocument(group.Key.Item1);
                    if (document is null || failed.Contains((document.Id, group.Key.Id)))
                    {
                        continue;
                    }

                    Document? fixedDocument;
                    try
                    {
                        fixedDocument = await FixAllAsync(document, group.Key.Id, group.ToImmutableArray(), cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        failed.Add((document.Id, group.Key.Id));
                        failures.Add(new FixFailure(
                            DisplayPath(document.FilePath ?? document.Name, sources.DisplayBase),
                            group.Key.Id,
                            ex.GetType().Name + ": " + ex.Message,
                            ex));
                        continue;
                    }

                    if (fixedDocument is not null)
                    {
                        project = fixedDocument.Project;
                        changed = true;
                    }
                }

                if (!changed)
                {
                    break;
                }
            }

            foreach (var diagnostic in (await AnalyzeAsync(project, cancellationToken).ConfigureAwait(false)).Where(d => Selected(d.Id, ruleIds)))
            {
                unfixed.Add(ToFinding(diagnostic, sources.DisplayBase));
            }

            foreach (var documentId in project.DocumentIds)
            {
                var before = original.GetDocument(documentId);
                var after = project.GetDocument(documentId);
                if (before is null || after is null)
                {
                    continue;
                }

                var oldText = (await before.GetTextAsync(cancellationToken).ConfigureAwait(false)).ToString();
                var newText = (await after.GetTextAsync(cancellationToken).ConfigureAwait(false)).ToString();
                if (!string.Equals(oldText, newText, StringComparison.Ordinal))
                {
                    var path = before.FilePath ?? before.Name;
                    changes.Add(new FileChange(path, UnifiedDiff.Create(DisplayPath(path, sources.DisplayBase), oldText, newText), newText));
                }
            }
        }

        unfixed.Sort(CompareFindings);
        return new FixResult(changes, unfixed, failures);
    }

    /// <summary>Is <paramref name="file"/> inside one of <paramref name="roots"/> (a root may be the file itself)?</summary>
    public static bool IsInside(string file, IEnumerable<string> roots)
    {
        var full = Path.GetFullPath(file);
        return roots.Any(root =>
        {
            var rootFull = Path.GetFullPath(root);
            return string.Equals(full, rootFull, StringComparison.Ordinal)
                || full.StartsWith(Path.TrimEndingDirectorySeparator(rootFull) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        });
    }

    private static bool Selected(string id, IReadOnlyCollection<string> ruleIds)
        => ruleIds.Count == 0 || ruleIds.Contains(id, StringComparer.OrdinalIgnoreCase);

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Project project, CancellationToken cancellationToken)
    {
        var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        if (compilation is null || AnalyzerSet.Analyzers.IsEmpty)
        {
            return [];
        }

        // Not concurrent: concurrent analysis binds on thread-pool threads, whose 1.5 MB stacks are
        // what deeply nested code overflows; sequential analysis stays on the caller's large stack.
        var options = new CompilationWithAnalyzersOptions(
            project.AnalyzerOptions,
            onAnalyzerException: null,
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);
        var withAnalyzers = compilation.WithAnalyzers(AnalyzerSet.Analyzers, options);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        return diagnostics.Where(d => !d.IsSuppressed && d.Severity != DiagnosticSeverity.Hidden).ToImmutableArray();
    }

    private async Task<Document?> FixAllAsync(Document document, string id, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        foreach (var fixer in fixersFor(id))
        {
            // The equivalence key comes from the action registered for the first diagnostic, in source
            // order, that the fixer can fix, as the IDE takes it from the one under the caret. Analysis
            // reports in no fixed order, and one unfixable diagnostic must not cost the others their fix.
            var actions = new List<CodeAction>();
            foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
            {
                var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
                await fixer.RegisterCodeFixesAsync(context).ConfigureAwait(false);
                if (actions.Count > 0)
                {
                    break;
                }
            }

            if (actions.Count == 0)
            {
                continue;
            }

            CodeAction? fix = null;
            var fixAll = fixer.GetFixAllProvider();
            if (fixAll is not null && diagnostics.Length > 1)
            {
                var fixAllContext = new FixAllContext(
                    document,
                    fixer,
                    FixAllScope.Document,
                    actions[0].EquivalenceKey,
                    [id],
                    new FixedDiagnostics(diagnostics),
                    cancellationToken);
                fix = await fixAll.GetFixAsync(fixAllContext).ConfigureAwait(false);
            }

            fix ??= actions[0];
            foreach (var operation in await fix.GetOperationsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (operation is ApplyChangesOperation apply)
                {
                    return apply.ChangedSolution.GetDocument(document.Id);
                }
            }
        }

        return null;
    }

    private static Finding ToFinding(Diagnostic diagnostic, string displayBase)
    {
        var span = diagnostic.Location.GetLineSpan();
        var file = diagnostic.Location.IsInSource ? span.Path : string.Empty;
        return new Finding(
            diagnostic.Id,
            diagnostic.Severity.ToString().ToLowerInvariant(),
            DisplayPath(file, displayBase),
            span.StartLinePosition.Line + 1,
            span.StartLinePosition.Character + 1,
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            diagnostic.Descriptor.HelpLinkUri);
    }

    /// <summary>Paths below the display base are shown relative to it, like compilers and linters do.</summary>
    private static string DisplayPath(string path, string displayBase)
    {
        if (string.IsNullOrEmpty(path) || !Path.IsPathRooted(path))
        {
            return path;
        }

        var relative = Path.GetRelativePath(displayBase, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative.Replace('\\', '/');
    }

    private static int CompareFindings(Finding a, Finding b)
    {
        var result = string.CompareOrdinal(a.File, b.File);
        if (result == 0)
        {
            result = a.Line.CompareTo(b.Line);
        }

        if (result == 0)
        {
            result = a.Column.CompareTo(b.Column);
        }

        return result != 0 ? result : string.CompareOrdinal(a.Id, b.Id);
    }

    private sealed class FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics.Where(d => string.Equals(d.Location.SourceTree?.FilePath, document.FilePath, StringComparison.Ordinal)));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>([]);
    }
}
