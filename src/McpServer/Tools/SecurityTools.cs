using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.Server.Engine;
using McpSecurity.Server.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.CodeAnalysis;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace McpSecurity.Server.Tools;

public sealed record RuleInfo(string Id, string Title, string Severity, string Category, string HelpUri, bool HasCodeFix);

public sealed record RuleExplanation(
    string Id,
    string Title,
    string Severity,
    string Description,
    string MessageFormat,
    [property: Description("The rule's page at the project's home; empty when the build names no home (the page is in Page).")] string HelpUri,
    bool HasCodeFix,
    IReadOnlyList<OptionInfo> Options,
    [property: Description("The rule's full documentation page (Markdown): what it finds, compliant and non-compliant code, the fix, options, limits.")] string Page);

public sealed record OptionInfo(string Key, string Default, string Description);

public sealed record CodeFixResult(
    [property: Description("The whole source after every available fix was applied.")] string FixedSource,
    [property: Description("Unified diff from the input to FixedSource; empty when nothing changed.")] string Diff,
    [property: Description("Findings no code fix could remove; change these by hand.")] IReadOnlyList<Finding> Unfixed,
    [property: Description("Fixes that failed while being applied (a bug in the fix); their findings are in Unfixed.")] IReadOnlyList<FixFailure> FailedFixes);

/// <summary>The MCP tools: the same engine as the command line, exposed to AI agents.</summary>
[McpServerToolType]
public sealed class SecurityTools(IScanExecutor scans, ServerSettings settings, ProgramRunner runner)
{
    private const int MaxSourceLength = 512 * 1024;

    [McpServerTool(Name = "list_rules", UseStructuredContent = true, ReadOnly = true, Idempotent = true)]
    [Description("Lists every McpSecurity rule (MCPSEC IDs): title, default severity, help link and whether a code fix exists. Call this to learn what scan_code and scan_path can report.")]
    public static IReadOnlyList<RuleInfo> ListRules() => RuleDescriptions.All;

    [McpServerTool(Name = "explain_rule", UseStructuredContent = true, ReadOnly = true, Idempotent = true)]
    [Description("Explains one rule: why it matters, what its message says, its options and its full documentation page. Use it after a scan to understand a finding before fixing it.")]
    public static RuleExplanation ExplainRule(
        [Description("Rule ID such as MCPSEC201 (case-insensitive).")] string id)
        => RuleDescriptions.Find(id) ?? throw new McpException("Unknown rule ID. Call list_rules for the valid IDs.");

    [McpServerTool(Name = "scan_code", UseStructuredContent = true, ReadOnly = true, Idempotent = true)]
    [Description("Scans C# source text with every McpSecurity rule and returns the findings (ID, severity, line, column, message, help link). The code is compiled against .NET and the MCP C# SDK, so tool classes need no project file.")]
    public Task<ScanResult> ScanCode(
        [Description("The complete C# source of one file.")] string source,
        [Description("Lowest severity to report: info, warning or error. Default: info.")] string? minimumSeverity = null,
        CancellationToken cancellationToken = default)
    {
        var severity = ParseSeverity(minimumSeverity);
        var checkedSource = CheckSource(source);
        return ScanAsync(new ScanJob(ScanJobs.ScanCode, Source: checkedSource, MinimumSeverity: severity), cancellationToken);
    }

    [McpServerTool(Name = "scan_path", UseStructuredContent = true, ReadOnly = true, Idempotent = true)]
    [Description("Scans a file, folder, .csproj, .sln or .slnx under the server's workspace root. The path is relative to that root; absolute paths and paths leaving the root (.., symlinks) are refused. Project and solution files are read for their source files only: nothing is built, evaluated or written.")]
    public Task<ScanResult> ScanPath(
        [Description("Path relative to the workspace root, e.g. 'src' or 'src/App/App.csproj'.")] string path,
        [Description("Lowest severity to report: info, warning or error. Default: info.")] string? minimumSeverity = null,
        CancellationToken cancellationToken = default)
    {
        var severity = ParseSeverity(minimumSeverity);
        if (!PathGuard.TryResolve(settings.WorkspaceRoot, path ?? string.Empty, out var resolved))
        {
            throw new McpException("The path must be relative to the workspace root and stay inside it.");
        }

        if (!File.Exists(resolved) && !Directory.Exists(resolved))
        {
            throw new McpException("No such file or folder under the workspace root.");
        }

        return ScanAsync(new ScanJob(ScanJobs.ScanPath, MinimumSeverity: severity, Path: resolved, WorkspaceRoot: settings.WorkspaceRoot), cancellationToken);
    }

    [McpServerTool(Name = "fix_code", UseStructuredContent = true, ReadOnly = true, Idempotent = true)]
    [Description("Applies every McpSecurity code fix (Fix All) to C# source text and returns the fixed source, a unified diff and the findings that remain. Nothing is written anywhere.")]
    public async Task<CodeFixResult> FixCode(
        [Description("The complete C# source of one file.")] string source,
        [Description("Only fix these rule IDs (e.g. [\"MCPSEC201\"]). Default: all fixable rules.")] string[]? rules = null,
        [Description("Where a rule offers several fixes, the equivalence keys of the ones to apply (e.g. [\"MCPSEC202.Rethrow\"]; each rule's page lists them). Default: each rule's first fix, the one that keeps the code's behaviour.")] string[]? actions = null,
        CancellationToken cancellationToken = default)
    {
        var checkedSource = CheckSource(source);
        var reply = await scans.RunAsync(new ScanJob(ScanJobs.FixCode, Source: checkedSource, Rules: rules, Actions: actions), cancellationToken).ConfigureAwait(false);
        return reply.Fix ?? throw new McpException("The scan worker sent no fix result.");
    }

    [McpServerTool(Name = "run_program", UseStructuredContent = true, Destructive = true, OpenWorld = false)]
    [Authorize(Policy = Scopes.RunProgram)]
    [Description("Runs one program from the server's allow-list with an argument list (no shell: quotes, ;, |, $() and backticks are plain text), in the workspace root, with a time limit and an output limit; anything it starts in the background ends with it. Options (arguments starting with '-'), paths outside the workspace (also in key=value, --option=value and @file forms, and through symlinks) and file: URLs are refused, as an error result that says why. Needs the mcp:run scope over HTTP.")]
    public Task<ProgramResult> RunProgram(
        [Description("Name of an allow-listed program, e.g. 'dotnet' or 'git'. Not a path.")] string program,
        [Description("Arguments, one per element; each reaches the program exactly as given.")] string[]? arguments = null,
        CancellationToken cancellationToken = default)
        => runner.RunAsync(program ?? string.Empty, arguments ?? [], cancellationToken);

    internal static DiagnosticSeverity ParseSeverity(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "info" => DiagnosticSeverity.Info,
        "warning" => DiagnosticSeverity.Warning,
        "error" => DiagnosticSeverity.Error,
        _ => throw new McpException("minimumSeverity must be info, warning or error."),
    };

    /// <summary>
    /// One scan through <see cref="IScanExecutor"/>, within <see cref="ServerSettings.ScanTimeoutSeconds"/>
    /// and stopped when the client cancels or goes away (the SDK cancels <paramref name="requestAborted"/>):
    /// a scan nobody waits for must not keep a core busy.
    /// </summary>
    private async Task<ScanResult> ScanAsync(ScanJob job, CancellationToken requestAborted)
    {
        var reply = await scans.RunAsync(job, requestAborted).ConfigureAwait(false);
        return reply.Scan ?? throw new McpException("The scan worker sent no scan result.");
    }

    private static string CheckSource(string? source)
        => source is null || source.Length > MaxSourceLength
            ? throw new McpException($"source must be present and at most {MaxSourceLength} characters.")
            : source;
}
