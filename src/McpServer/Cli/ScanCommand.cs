using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers.Baseline;
using McpSecurity.Server.Engine;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Server.Cli;

/// <summary><c>scan</c>: every MCPSEC rule over files, folders, projects or solutions; exit 1 on findings.</summary>
public static class ScanCommand
{
    public static Command Create()
    {
        var paths = CommandActions.PathsArgument();
        var format = new Option<string>("--format", "-f") { Description = "text, json or sarif", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "sarif");
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of stdout" };
        var severity = new Option<string>("--severity") { Description = "Lowest severity reported and failing the scan: info, warning or error", DefaultValueFactory = _ => "warning" };
        severity.AcceptOnlyFromAmong("info", "warning", "error");
        var baseline = new Option<string?>("--baseline", "-b")
        {
            Description = "Report only findings this baseline file does not record (see 'baseline'). Default: the nearest mcpsec.baseline at or above the first path.",
        };
        var noBaseline = new Option<bool>("--no-baseline") { Description = "Report every finding, even with an mcpsec.baseline present" };
        var rules = new Option<string[]>("--rule", "-r") { Description = "Report only this rule ID (repeatable); an unknown ID exits 2", AllowMultipleArgumentsPerToken = true };
        var command = new Command("scan", "Scan C# code with every MCPSEC rule. Exit 0 clean, 1 findings, 2 bad input.") { paths, format, output, severity, baseline, noBaseline, rules };
        command.SetGuardedAction(async (parse, cancellationToken) =>
        {
            // Read before anything is scanned: a baseline that does not parse stops the scan (exit 2).
            if (parse.GetValue(baseline) is not null && parse.GetValue(noBaseline))
            {
                throw new InputException("--baseline and --no-baseline contradict each other; give one.");
            }

            // Checked before anything is scanned: a mistyped ID would otherwise pass the gate with exit 0.
            var selected = CommandActions.KnownRules(parse.GetValue(rules));
            var baselinePath = parse.GetValue(baseline) ?? (parse.GetValue(noBaseline) ? null : BaselineFiles.FindFor(parse.GetValue(paths)!));
            var accepted = baselinePath is null ? null : BaselineFiles.Read(baselinePath);
            using var sources = await SourceSet.LoadAsync(parse.GetValue(paths)!, CommandActions.Progress, cancellationToken).ConfigureAwait(false);
            await CommandActions.WarnAboutSyntaxErrorsAsync(sources, cancellationToken).ConfigureAwait(false);
            var minimum = ParseSeverity(parse.GetValue(severity));
            var result = accepted is null
                ? await new CodeEngine().ScanAsync(sources, minimum, CommandActions.Progress, cancellationToken).ConfigureAwait(false)
                : await ScanAgainstBaselineAsync(sources, minimum, accepted, baselinePath!, selected, cancellationToken).ConfigureAwait(false);
            if (selected.Count > 0)
            {
                result = result with { Findings = result.Findings.Where(f => IsSelected(selected, f.Id)).ToList() };
            }

            CommandActions.Progress($"Scanned {result.FilesScanned} files in {result.ElapsedMilliseconds / 1000:0.00} s");
            ReportWriter.WriteTo(ReportWriter.Render(result, parse.GetValue(format)!, sources.DisplayBase), parse.GetValue(output), Console.Out);
            return result.Findings.Count == 0 ? ExitCodes.Clean : ExitCodes.Findings;
        });
        return command;
    }

    /// <summary>
    /// Scans at every severity (a baseline entry of an info finding is not stale), keeps the findings at or
    /// above <paramref name="minimum"/> the baseline does not record, and lists on stderr the entries no
    /// finding matches any more, so the file shrinks as findings are fixed.
    /// </summary>
    private static async Task<ScanResult> ScanAgainstBaselineAsync(
        SourceSet sources, DiagnosticSeverity minimum, BaselineFile accepted, string baselinePath, IReadOnlyList<string> selected, CancellationToken cancellationToken)
    {
        var baseDirectory = BaselineFiles.BaseOf(baselinePath);
        var all = await new CodeEngine().ScanAsync(sources, DiagnosticSeverity.Info, CommandActions.Progress, cancellationToken, baseDirectory).ConfigureAwait(false);
        var (fresh, stale) = BaselineFiles.Compare(accepted, all.Findings, BaselineFiles.ScannedFiles(sources, baseDirectory));

        // With --rule, entries of the other rules were not looked for: they are not stale.
        stale = selected.Count == 0 ? stale : stale.Where(entry => IsSelected(selected, entry.RuleId)).ToList();
        CommandActions.Progress($"Baseline {baselinePath}: {all.Findings.Count - fresh.Count} findings accepted and not reported; {stale.Count} stale {(stale.Count == 1 ? "entry" : "entries")}.");
        foreach (var entry in stale)
        {
            CommandActions.Progress("stale baseline entry (no such finding any more; delete the line or run 'baseline' again): " + BaselineFiles.Describe(entry));
        }

        return all with { Findings = fresh.Where(f => ParseSeverity(f.Severity) >= minimum).ToList() };
    }

    private static bool IsSelected(IReadOnlyList<string> selected, string ruleId)
        => selected.Any(id => string.Equals(id, ruleId, StringComparison.OrdinalIgnoreCase));

    private static DiagnosticSeverity ParseSeverity(string? value) => value switch
    {
        "info" => DiagnosticSeverity.Info,
        "error" => DiagnosticSeverity.Error,
        _ => DiagnosticSeverity.Warning,
    };
}
