using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers.Baseline;
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
    /// <param name="fingerprintBase">When given, each finding carries its baseline fingerprint, with the
    /// file relative to this folder (the baseline file's).</param>
    public Task<ScanResult> ScanAsync(
        SourceSet sources, DiagnosticSeverity minimum, Action<string>? progress, CancellationToken cancellationToken, string? fingerprintBase = null)
        => LargeStackThread.RunAsync(() => ScanOnThisThreadAsync(sources, minimum, progress, fingerprintBase, cancellationToken));

    /// <summary>
    /// Applies every available Fix All to the sources (only <paramref name="ruleIds"/> when given) and
    /// reports the changed files with their diffs and the findings left unfixed. Writes nothing: the
    /// caller decides, so a dry run and a real run share the same path. A fix that throws (a bug in
    /// it or in the Roslyn it runs on) costs only its own rule in its own file: it is listed in
    /// <see cref="FixResult.Failures"/>, its findings stay in <see cref="FixResult.Unfixed"/>, and
    /// every other fix still applies. Runs on a large-stack thread after the limits are checked, as
    /// <see cref="ScanAsync"/> does.
    /// </summary>
    /// <param name="actions">Equivalence keys of the actions to apply where a rule offers several
    /// (<c>fix --action MCPSEC202.Rethrow</c>); a rule none of them names gets its first action, the
    /// one that keeps the code's behaviour.</param>
    public Task<FixResult> FixAsync(
        SourceSet sources, IReadOnlyCollection<string> ruleIds, CancellationToken cancellationToken, IReadOnlyCollection<string>? actions = null)
        => LargeStackThread.RunAsync(() => FixOnThisThreadAsync(sources, ruleIds, cancellationToken, actions));

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

    private async Task<ScanResult> ScanOnThisThreadAsync(
        SourceSet sources, DiagnosticSeverity minimum, Action<string>? progress, string? fingerprintBase, CancellationToken cancellationToken)
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
                    findings.Add(ToFinding(diagnostic, sources.DisplayBase) with
                    {
                        Fingerprint = fingerprintBase is null ? null : FindingFingerprint.Of(diagnostic, fingerprintBase, cancellationToken),
                    });
                }
            }
        }

        findings.Sort(CompareFindings);
        return new ScanResult(findings, files, stopwatch.Elapsed.TotalMilliseconds);
    }

    private async Task<FixResult> FixOnThisThreadAsync(
        SourceSet sources, IReadOnlyCollection<string> ruleIds, CancellationToken cancellationToken, IReadOnlyCollection<string>? actions)
    {
        actions ??= [];
        var changes = new List<FileChange>();
        var unfixed = new List<Finding>();
        var notFixed = new List<UnfixedFinding>();
        var failures = new List<FixFailure>();
        foreach (var original in sources.Projects)
        {
            await CheckLimitsAsync(original, sources.DisplayBase, cancellationToken).ConfigureAwait(false);
            var project = original;
            var failed = new HashSet<(DocumentId, string)>();
            var applied = new Dictionary<(DocumentId, string), string?>();

            // A file that does not parse is not fixed: a fix's edit could land in the parser's recovery
            // (a missing brace read as the end of a method) and a check that it compiles cannot pass there.
            var unparsed = new HashSet<DocumentId>();
            foreach (var document in original.Documents)
            {
                if (await FirstSyntaxErrorAsync(document, cancellationToken).ConfigureAwait(false) is not null)
                {
                    unparsed.Add(document.Id);
                }
            }

            for (var round = 0; round < MaxFixRounds; round++)
            {
                var diagnostics = (await AnalyzeAsync(project, cancellationToken).ConfigureAwait(false))
                    .Where(d => Selected(d.Id, ruleIds) && d.Location.IsInSource)
                    .ToList();
                var changed = false;
                foreach (var group in diagnostics.GroupBy(d => (d.Location.SourceTree!, d.Id)))
                {
                    var document = project.GetDocument(group.Key.Item1);
                    if (document is null || failed.Contains((document.Id, group.Key.Id)) || unparsed.Contains(document.Id))
                    {
                        continue;
                    }

                    Document? fixedDocument;
                    try
                    {
                        (fixedDocument, var key) = await FixAllAsync(document, group.Key.Id, group.ToImmutableArray(), actions, cancellationToken).ConfigureAwait(false);
                        applied[(document.Id, group.Key.Id)] = key ?? (applied.TryGetValue((document.Id, group.Key.Id), out var earlier) ? earlier : null);
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
                var document = diagnostic.Location.SourceTree is { } tree ? project.GetDocument(tree) : null;
                var reason = document is not null && failed.Contains((document.Id, diagnostic.Id))
                    ? "the fix failed: " + failures.Last(f => f.Id == diagnostic.Id).Reason
                    : document is not null && unparsed.Contains(document.Id)
                    ? "the file has syntax errors; correct them, then fix again"
                    : await WhyNotFixedAsync(document, diagnostic, document is not null && applied.TryGetValue((document.Id, diagnostic.Id), out var key) ? key : null, cancellationToken).ConfigureAwait(false);
                notFixed.Add(new UnfixedFinding(
                    await AsScannedAsync(ToFinding(diagnostic, sources.DisplayBase), diagnostic, document is null ? null : original.GetDocument(document.Id), document, cancellationToken).ConfigureAwait(false),
                    reason));
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
        notFixed.Sort((a, b) => CompareFindings(a.Finding, b.Finding));
        return new FixResult(OneChangePerFile(changes, failures), unfixed, failures) { NotFixed = notFixed };
    }

    /// <summary>
    /// A file compiled for several target frameworks is fixed once per target. The fixes write the
    /// same text for every target (they check it); should two targets still disagree, the file is
    /// not written, rather than one target's text silently winning.
    /// </summary>
    private static List<FileChange> OneChangePerFile(List<FileChange> changes, List<FixFailure> failures)
    {
        var result = new List<FileChange>();
        foreach (var group in changes.GroupBy(c => c.File, StringComparer.Ordinal))
        {
            if (group.Select(c => c.NewText).Distinct(StringComparer.Ordinal).Count() == 1)
            {
                result.Add(group.First());
            }
            else
            {
                var difference = new InvalidOperationException("The target frameworks of the project were fixed differently; the file was not written.");
                failures.Add(new FixFailure(group.Key, "*", difference.Message, difference));
            }
        }

        return result;
    }

    /// <summary>Why a finding is still there, for the <c>not fixed:</c> line: what a person can do next.</summary>
    private async Task<string> WhyNotFixedAsync(Document? document, Diagnostic diagnostic, string? appliedKey, CancellationToken cancellationToken)
    {
        var fixers = fixersFor(diagnostic.Id).ToList();
        if (fixers.Count == 0)
        {
            return "the rule has no code fix; see its page";
        }

        if (document is null)
        {
            return "not in a source file";
        }

        var actions = new List<CodeAction>();
        foreach (var fixer in fixers)
        {
            await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken)).ConfigureAwait(false);
        }

        if (actions.Count == 0)
        {
            return "no fix applies to this code (see the rule's page: how to fix, known limits)";
        }

        if (appliedKey is not null && !actions.Any(a => a.EquivalenceKey == appliedKey))
        {
            return $"this file's other findings got '{appliedKey}', which this one does not offer; run fix --action "
                + string.Join(" or --action ", actions.Select(a => a.EquivalenceKey).Distinct(StringComparer.Ordinal));
        }

        return "the fix was computed but not applied: its result would not compile here, or would differ between target frameworks";
    }

    /// <summary>The finding with the line and column the scan reported, before any fix moved the code.</summary>
    private static async Task<Finding> AsScannedAsync(Finding finding, Diagnostic diagnostic, Document? before, Document? after, CancellationToken cancellationToken)
    {
        if (before is null || after is null || !diagnostic.Location.IsInSource)
        {
            return finding;
        }

        var position = diagnostic.Location.SourceSpan.Start;
        var shift = 0;
        foreach (var change in (await after.GetTextChangesAsync(before, cancellationToken).ConfigureAwait(false)).OrderBy(c => c.Span.Start))
        {
            var newStart = change.Span.Start + shift;
            var newLength = change.NewText?.Length ?? 0;
            if (position < newStart)
            {
                break;
            }

            if (position < newStart + newLength)
            {
                // Inside text a fix wrote: the start of what it replaced.
                shift = newStart - change.Span.Start;
                position = newStart;
                break;
            }

            shift += newLength - change.Span.Length;
        }

        var text = await before.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var line = text.Lines.GetLinePosition(Math.Clamp(position - shift, 0, text.Length));
        return finding with { Line = line.Line + 1, Column = line.Character + 1 };
    }

    /// <summary>
    /// The files of <paramref name="sources"/> that do not parse, each with its first syntax error as
    /// <c>file(line,column): CSxxxx: message</c>: their findings may be incomplete and they are not fixed.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SyntaxErrorsAsync(SourceSet sources, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        foreach (var document in sources.Projects.SelectMany(project => project.Documents))
        {
            if (await FirstSyntaxErrorAsync(document, cancellationToken).ConfigureAwait(false) is { } error)
            {
                var position = error.Location.GetLineSpan().StartLinePosition;
                found.Add($"{DisplayPath(document.FilePath ?? document.Name, sources.DisplayBase)}({position.Line + 1},{position.Character + 1}): "
                    + $"{error.Id}: {error.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static async Task<Diagnostic?> FirstSyntaxErrorAsync(Document document, CancellationToken cancellationToken)
        => await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false) is { } tree
            ? tree.GetDiagnostics(cancellationToken).FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error)
            : null;

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
        // Without the project's baseline (an AdditionalFiles item the package adds): the command line
        // records and compares findings itself, so it needs every one of them.
        var options = new CompilationWithAnalyzersOptions(
            BaselineFilter.WithoutBaseline(project.AnalyzerOptions),
            onAnalyzerException: null,
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);
        var withAnalyzers = compilation.WithAnalyzers(AnalyzerSet.Analyzers, options);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        return diagnostics.Where(d => !d.IsSuppressed && d.Severity != DiagnosticSeverity.Hidden).ToImmutableArray();
    }

    private async Task<(Document? Fixed, string? Key)> FixAllAsync(
        Document document, string id, ImmutableArray<Diagnostic> diagnostics, IReadOnlyCollection<string> preferred, CancellationToken cancellationToken)
    {
        foreach (var fixer in fixersFor(id))
        {
            // The equivalence key comes from the action registered for the first diagnostic, in source
            // order, that the fixer can fix, as the IDE takes it from the one under the caret. Analysis
            // reports in no fixed order, and one unfixable diagnostic must not cost the others their fix.
            // An action named with --action wins wherever a diagnostic offers it.
            CodeAction? first = null;
            CodeAction? chosen = null;
            foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
            {
                var actions = new List<CodeAction>();
                var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
                await fixer.RegisterCodeFixesAsync(context).ConfigureAwait(false);
                first ??= actions.FirstOrDefault();
                chosen = actions.FirstOrDefault(a => a.EquivalenceKey is { } key && preferred.Contains(key, StringComparer.Ordinal));
                if (chosen is not null || (first is not null && preferred.Count == 0))
                {
                    break;
                }
            }

            chosen ??= first;
            if (chosen is null)
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
                    chosen.EquivalenceKey,
                    [id],
                    new FixedDiagnostics(diagnostics),
                    cancellationToken);
                fix = await fixAll.GetFixAsync(fixAllContext).ConfigureAwait(false);
            }

            fix ??= chosen;
            foreach (var operation in await fix.GetOperationsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (operation is ApplyChangesOperation apply && apply.ChangedSolution.GetDocument(document.Id) is { } changed)
                {
                    // An action that finds, when computed, that it does not apply returns the document unchanged.
                    var textChanges = await changed.GetTextChangesAsync(document, cancellationToken).ConfigureAwait(false);
                    return (textChanges.Any() ? changed : null, chosen.EquivalenceKey);
                }
            }
        }

        return (null, null);
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

    /// <summary>
    /// Paths below the display base are shown relative to it, like compilers and linters do; others stay
    /// absolute. Every line of the command line's output names a file this way.
    /// </summary>
    public static string DisplayPath(string path, string displayBase)
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
