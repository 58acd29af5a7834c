using System;
using System.CommandLine;
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

    /// <summary>Progress goes to stderr so that stdout holds only the report (or the diff) a script reads.</summary>
    public static void Progress(string message) => Console.Error.WriteLine(message);
}
