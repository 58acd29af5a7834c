using System.Collections.Immutable;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace McpSecurity.CodeFixes.Tests.Infrastructure;

/// <summary>
/// Runs a fix the way a tool does, without the markup verifier: for actions that are offered on
/// the diagnostic's node alone and find out only when chosen that they do not apply (then they leave
/// the code unchanged, which the verifier counts as a failure), and for projects the verifier
/// cannot build (one file compiled for several target frameworks, as <c>dotnet format</c> sees a
/// multi-target project).
/// </summary>
public static class FixRunner
{
    public const string FilePath = "/src/Tools.cs";

    /// <summary>A solution with one project per target, each compiling the same file (linked documents).</summary>
    public static Task<Solution> CreateAsync(string source, params (string Name, ReferenceAssemblies References, string[] Symbols)[] targets)
        => CreateAsync(source, OutputKind.DynamicallyLinkedLibrary, targets);

    public static async Task<Solution> CreateAsync(string source, OutputKind outputKind, params (string Name, ReferenceAssemblies References, string[] Symbols)[] targets)
    {
        var workspace = new AdhocWorkspace();
        var solution = workspace.CurrentSolution;
        foreach (var (name, references, symbols) in targets)
        {
            await TestReferences.EnsureResolvedAsync(references);
            var metadata = await references.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
            var projectId = ProjectId.CreateNewId(name);
            solution = solution
                .AddProject(ProjectInfo.Create(
                    projectId,
                    VersionStamp.Default,
                    name,
                    "Consumer",
                    LanguageNames.CSharp,
                    compilationOptions: new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable),
                    parseOptions: new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: symbols)))
                .AddMetadataReferences(projectId, metadata)
                .AddDocument(DocumentId.CreateNewId(projectId), "Tools.cs", source, filePath: FilePath);
        }

        return solution;
    }

    public static Task<Solution> CreateAsync(string source, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
        => CreateAsync(source, outputKind, ("Consumer", TestReferences.Default, ["NET8_0"]));

    /// <summary>
    /// Asserts that every action with <paramref name="equivalenceKey"/> offered on a diagnostic of the
    /// markup source (<c>{|MCPSEC###:…|}</c>), and Fix All with it, leave the code as it is: for
    /// actions offered on the node alone that find, when chosen, that their result would not compile
    /// or would lose something. The diagnostics the markup names must be reported, and the action must
    /// be offered on at least one: registration looks at the node only (it runs on every caret move),
    /// so it cannot know yet that the result would not compile.
    /// </summary>
    public static async Task AssertLeavesUnchangedAsync(
        string markupSource, DiagnosticAnalyzer analyzer, CodeFixProvider fix, string equivalenceKey, params string[] additionalSources)
    {
        var source = System.Text.RegularExpressions.Regex.Replace(markupSource, @"\{\|[A-Z]+[0-9]+:", string.Empty).Replace("|}", string.Empty, StringComparison.Ordinal);
        var solution = await CreateAsync(source);
        var projectId = solution.ProjectIds.Single();
        for (var i = 0; i < additionalSources.Length; i++)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId), $"Additional{i}.cs", additionalSources[i], filePath: $"/src/Additional{i}.cs");
        }

        var project = solution.GetProject(projectId)!;
        var document = project.Documents.Single(d => d.FilePath == FilePath);
        var diagnostics = (await AnalyzeAsync(project, analyzer)).Where(d => fix.FixableDiagnosticIds.Contains(d.Id)).ToImmutableArray();
        var expected = System.Text.RegularExpressions.Regex.Matches(markupSource, @"\{\|[A-Z]+[0-9]+:").Count;
        Assert.Equal(expected, diagnostics.Length);
        var offered = 0;
        foreach (var diagnostic in diagnostics)
        {
            foreach (var action in (await ActionsAsync(document, fix, diagnostic)).Where(a => a.EquivalenceKey == equivalenceKey))
            {
                offered++;
                var changed = await ApplyAsync(action, solution);
                Assert.Equal(source, (await changed.GetDocument(document.Id)!.GetTextAsync()).ToString());
            }
        }

        Assert.True(offered > 0, "The action is not offered: registration decided what only choosing it should compute.");
        var context = new FixAllContext(
            document, fix, FixAllScope.Document, equivalenceKey, fix.FixableDiagnosticIds,
            new Provider(new Dictionary<ProjectId, ImmutableArray<Diagnostic>> { [projectId] = diagnostics }), CancellationToken.None);
        if (await fix.GetFixAllProvider()!.GetFixAsync(context) is { } fixAll)
        {
            var changed = await ApplyAsync(fixAll, solution);
            Assert.Equal(source, (await changed.GetDocument(document.Id)!.GetTextAsync()).ToString());
        }
    }

    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Project project, DiagnosticAnalyzer analyzer)
    {
        var compilation = await project.GetCompilationAsync() ?? throw new InvalidOperationException("No compilation.");
        return (await compilation.WithAnalyzers(ImmutableArray.Create(analyzer), project.AnalyzerOptions).GetAnalyzerDiagnosticsAsync())
            .Where(d => d.Location.IsInSource)
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
    }

    /// <summary>The actions offered for the diagnostic, as the light bulb lists them.</summary>
    public static async Task<IReadOnlyList<CodeAction>> ActionsAsync(Document document, CodeFixProvider fix, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        return actions;
    }

    /// <summary>The text of the first project's file after the action with <paramref name="equivalenceKey"/> (or the first one) is chosen on its first diagnostic.</summary>
    public static async Task<string> ApplyAsync(
        string source, DiagnosticAnalyzer analyzer, CodeFixProvider fix, string? equivalenceKey = null, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
    {
        var solution = await CreateAsync(source, outputKind);
        var project = solution.Projects.Single();
        var document = project.Documents.Single();
        var diagnostic = (await AnalyzeAsync(project, analyzer)).First(d => fix.FixableDiagnosticIds.Contains(d.Id));
        var actions = await ActionsAsync(document, fix, diagnostic);
        var action = actions.FirstOrDefault(a => equivalenceKey is null || a.EquivalenceKey == equivalenceKey)
            ?? throw new InvalidOperationException("No action " + equivalenceKey + " among " + string.Join(", ", actions.Select(a => a.EquivalenceKey)));
        var changed = await ApplyAsync(action, solution);
        return (await changed.GetDocument(document.Id)!.GetTextAsync()).ToString();
    }

    /// <summary>
    /// Fix All over the whole solution with the first action offered for the first diagnostic, as
    /// <c>dotnet format analyzers</c> applies a fix, linked-file merging included.
    /// </summary>
    public static async Task<Solution> FixAllAsync(Solution solution, DiagnosticAnalyzer analyzer, CodeFixProvider fix)
    {
        var diagnostics = new Dictionary<ProjectId, ImmutableArray<Diagnostic>>();
        foreach (var project in solution.Projects)
        {
            diagnostics[project.Id] = (await AnalyzeAsync(project, analyzer)).Where(d => fix.FixableDiagnosticIds.Contains(d.Id)).ToImmutableArray();
        }

        var first = solution.Projects.First(p => diagnostics[p.Id].Length > 0);
        var firstDiagnostic = diagnostics[first.Id][0];
        var action = (await ActionsAsync(first.GetDocument(firstDiagnostic.Location.SourceTree)!, fix, firstDiagnostic))[0];
        var context = new FixAllContext(
            first,
            fix,
            FixAllScope.Solution,
            action.EquivalenceKey,
            fix.FixableDiagnosticIds,
            new Provider(diagnostics),
            CancellationToken.None);
        var fixAll = await fix.GetFixAllProvider()!.GetFixAsync(context) ?? throw new InvalidOperationException("No Fix All action.");
        return await ApplyAsync(fixAll, solution);
    }

    /// <summary>
    /// The file's text after Fix All, as <c>dotnet format</c> merges the copies: a copy that changed
    /// wins over one that did not, and copies that changed must agree (otherwise the merge writes
    /// conflict markers). Each project is given that text, so each target compiles what lands on disk.
    /// </summary>
    public static async Task<(string Text, Solution Merged)> MergeLinkedAsync(Solution original, Solution fixedSolution)
    {
        var originalText = (await original.Projects.First().Documents.Single().GetTextAsync()).ToString();
        var changed = new List<string>();
        foreach (var project in fixedSolution.Projects)
        {
            var text = (await project.Documents.Single().GetTextAsync()).ToString();
            if (text != originalText)
            {
                changed.Add(text);
            }
        }

        Assert.True(changed.Distinct().Count() <= 1, "The targets were fixed differently:\n" + string.Join("\n-----\n", changed));
        var merged = changed.Count > 0 ? changed[0] : originalText;
        var solution = fixedSolution;
        foreach (var project in fixedSolution.Projects)
        {
            solution = solution.WithDocumentText(project.Documents.Single().Id, Microsoft.CodeAnalysis.Text.SourceText.From(merged));
        }

        return (merged, solution);
    }

    /// <summary>Errors and warnings of a compilation, as a build under <c>TreatWarningsAsErrors</c> fails on them.</summary>
    public static async Task<IReadOnlyList<string>> CompilerProblemsAsync(Project project)
        => (await project.GetCompilationAsync())!.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString())
            .ToList();

    private static async Task<Solution> ApplyAsync(CodeAction action, Solution solution)
    {
        foreach (var operation in await action.GetOperationsAsync(CancellationToken.None))
        {
            if (operation is ApplyChangesOperation apply)
            {
                return apply.ChangedSolution;
            }
        }

        return solution;
    }

    private sealed class Provider(Dictionary<ProjectId, ImmutableArray<Diagnostic>> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics[project.Id]);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics[document.Project.Id].Where(d => d.Location.SourceTree?.FilePath == document.FilePath));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>([]);
    }
}
