using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using McpSecurity.Analyzers.Baseline;
using McpSecurity.Server.Engine;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Server.Cli;

/// <summary>
/// <c>baseline</c>: records today's findings in <c>mcpsec.baseline</c>, so a repository adopting the
/// package fails its build (and <c>scan</c>) only on findings added afterwards.
/// </summary>
public static class BaselineCommand
{
    public static Command Create()
    {
        var paths = CommandActions.PathsArgument();
        var output = new Option<string?>("--output", "-o")
        {
            Description = "The baseline file to write. Default: mcpsec.baseline in the first path's folder (put it at the repository root).",
        };
        var command = new Command(
            "baseline",
            "Record the current findings in a baseline file, so that the build and scan report only new ones. Exit 0 written, 2 bad input.")
        {
            paths, output,
        };
        command.SetGuardedAction(async (parse, cancellationToken) =>
        {
            var given = parse.GetValue(paths)!;
            var target = Path.GetFullPath(parse.GetValue(output) ?? BaselineFiles.DefaultOutputFor(given));

            // An existing file that does not parse is refused rather than overwritten: it may hold
            // a hand-edited baseline someone wants to keep.
            var previous = File.Exists(target) ? BaselineFiles.Read(target) : null;
            using var sources = await SourceSet.LoadAsync(given, CommandActions.Progress, cancellationToken).ConfigureAwait(false);
            await CommandActions.WarnAboutSyntaxErrorsAsync(sources, cancellationToken).ConfigureAwait(false);

            // Every severity the build can report: an info finding raised to an error later is then already accepted.
            var result = await new CodeEngine().ScanAsync(
                sources, DiagnosticSeverity.Info, CommandActions.Progress, cancellationToken, BaselineFiles.BaseOf(target)).ConfigureAwait(false);
            var entries = result.Findings.Where(f => f.Fingerprint is not null).Select(f => f.Fingerprint!).ToHashSet();

            // Entries of files this run did not scan are kept: recording one project must not drop the others'.
            var scanned = BaselineFiles.ScannedFiles(sources, BaselineFiles.BaseOf(target));
            var kept = previous?.Entries.Where(entry => !scanned.Contains(entry.File)).ToList() ?? [];
            entries.UnionWith(kept);
            try
            {
                await File.WriteAllTextAsync(target, BaselineFile.Write(entries), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InputException($"Cannot write the baseline {target}.", ex);
            }

            var before = previous?.Entries.ToHashSet() ?? [];
            var added = entries.Count(entry => !before.Contains(entry));
            var removed = before.Count(entry => !entries.Contains(entry));
            CommandActions.Progress($"Recorded {entries.Count} {(entries.Count == 1 ? "finding" : "findings")} in {target} ({added} added, {removed} removed).");
            return ExitCodes.Clean;
        });
        return command;
    }
}
