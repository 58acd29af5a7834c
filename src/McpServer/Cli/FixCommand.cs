using System;
using System.CommandLine;
using System.IO;
using McpSecurity.Server.Engine;

namespace McpSecurity.Server.Cli;

/// <summary><c>fix</c>: the MCPSEC code fixes (Fix All), written only inside the given paths; exit 1 when any is left undone.</summary>
public static class FixCommand
{
    public static Command Create()
    {
        var paths = CommandActions.PathsArgument();
        var rules = new Option<string[]>("--rule", "-r") { Description = "Fix only this rule ID (repeatable)", AllowMultipleArgumentsPerToken = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print a unified diff and write nothing" };
        var actions = new Option<string[]>("--action", "-a")
        {
            Description = "Where a rule offers several fixes, apply this one, by its equivalence key (e.g. MCPSEC202.Rethrow; repeatable). "
                + "Without it each rule gets its first fix, the one that keeps the code's behaviour.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("fix", "Apply the MCPSEC code fixes (Fix All). Writes only inside the given paths.") { paths, rules, dryRun, actions };
        command.SetGuardedAction(async (parse, cancellationToken) =>
        {
            var selected = CommandActions.KnownRules(parse.GetValue(rules));
            using var sources = await SourceSet.LoadAsync(parse.GetValue(paths)!, CommandActions.Progress, cancellationToken).ConfigureAwait(false);
            await CommandActions.WarnAboutSyntaxErrorsAsync(sources, cancellationToken).ConfigureAwait(false);
            var result = await new CodeEngine().FixAsync(sources, [.. selected], cancellationToken, parse.GetValue(actions) ?? []).ConfigureAwait(false);
            var dry = parse.GetValue(dryRun);
            var skipped = 0;
            foreach (var change in result.Changes)
            {
                if (dry)
                {
                    Console.Out.Write(change.Diff);
                }
                else if (CodeEngine.IsInside(change.File, sources.Roots))
                {
                    await File.WriteAllTextAsync(change.File, change.NewText, cancellationToken).ConfigureAwait(false);
                    await Console.Error.WriteLineAsync($"fixed: {CodeEngine.DisplayPath(change.File, sources.DisplayBase)}").ConfigureAwait(false);
                }
                else
                {
                    // A linked file (<Compile Include="../..">) lies outside what the user asked us to change.
                    skipped++;
                    await Console.Error.WriteLineAsync($"not written (outside the given paths): {CodeEngine.DisplayPath(change.File, sources.DisplayBase)}").ConfigureAwait(false);
                }
            }

            // The line as the scan reported it, so the two outputs can be matched; and what to do next.
            foreach (var (finding, reason) in result.NotFixed)
            {
                await Console.Error.WriteLineAsync($"not fixed: {finding.File}({finding.Line},{finding.Column}): {finding.Id}: {reason}: {finding.Message}").ConfigureAwait(false);
            }

            return result.Unfixed.Count == 0 && skipped == 0 ? ExitCodes.Clean : ExitCodes.Findings;
        });
        return command;
    }
}
