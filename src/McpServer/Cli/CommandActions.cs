using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Server.Engine;
using McpSecurity.Server.Hosting;

namespace McpSecurity.Server.Cli;

/// <summary>What every command shares: the one path from an error to its exit code, and progress on stderr.</summary>
public static class CommandActions
{
    /// <summary>
    /// Runs <paramref name="action"/> as <paramref name="command"/>'s action. Bad input or configuration
    /// (<see cref="InputException"/>, <see cref="StartupException"/>) prints <c>error: …</c> on stderr and
    /// exits <see cref="ExitCodes.BadInput"/>; any other exception is a bug and is left to the runtime.
    /// </summary>
    public static void SetGuardedAction(this Command command, Func<ParseResult, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InputException or StartupException)
            {
                await Console.Error.WriteLineAsync($"error: {InputException.Describe(ex)}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
        });
    }

    /// <summary>The synchronous form of <see cref="SetGuardedAction(Command, Func{ParseResult, CancellationToken, Task{int}})"/>.</summary>
    public static void SetGuardedAction(this Command command, Func<ParseResult, int> action) =>
        command.SetGuardedAction((parse, _) => Task.FromResult(action(parse)));

    /// <summary>The paths argument of <c>scan</c> and <c>fix</c>.</summary>
    public static Argument<string[]> PathsArgument() => new("paths")
    {
        Description = ".cs files, folders, .csproj or .sln files",
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>
    /// Rule IDs given with <c>--rule</c> must exist: a typo (<c>MCPSEC999</c>) would otherwise select
    /// nothing and pass the gate with exit 0.
    /// </summary>
    public static IReadOnlyList<string> KnownRules(IReadOnlyList<string>? ids)
    {
        var unknown = (ids ?? []).Where(id => !McpSecurity.Analyzers.RuleCatalog.All.Any(rule => string.Equals(rule.Id, id, StringComparison.OrdinalIgnoreCase))).ToList();
        return unknown.Count == 0
            ? ids ?? []
            : throw new InputException($"unknown rule {string.Join(", ", unknown.Select(id => $"'{id}'"))}. Run 'rules' for the list.");
    }

    /// <summary>Files that do not parse are named on stderr: their findings may be incomplete, and <c>fix</c> leaves them alone.</summary>
    public static async Task WarnAboutSyntaxErrorsAsync(SourceSet sources, CancellationToken cancellationToken)
    {
        foreach (var error in await CodeEngine.SyntaxErrorsAsync(sources, cancellationToken).ConfigureAwait(false))
        {
            await Console.Error.WriteLineAsync($"warning: does not parse, findings may be incomplete and it is not fixed: {error}").ConfigureAwait(false);
        }
    }

    /// <summary>Progress goes to stderr so that stdout holds only the report (or the diff) a script reads.</summary>
    public static void Progress(string message) => Console.Error.WriteLine(message);
}
