using System;
using System.CommandLine;
using System.Threading.Tasks;
using McpSecurity.Server.Cli;

namespace McpSecurity.Server;

/// <summary>
/// The command line: one file per command under <c>Cli/</c>. Exit codes (<see cref="ExitCodes"/>): 0 clean,
/// 1 findings at or above the threshold (or fixes left undone), 2 bad input or configuration.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var parse = BuildCommand().Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Usage errors are bad input (2), never to be confused with "findings" (1) in a CI gate.
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("Run with --help for usage.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        return await parse.InvokeAsync().ConfigureAwait(false);
    }

    public static RootCommand BuildCommand() => new("McpSecurity: scan and fix C# MCP servers with the MCPSEC rules, and serve the same as an MCP server.")
    {
        ScanCommand.Create(),
        FixCommand.Create(),
        BaselineCommand.Create(),
        RulesCommand.Create(),
        TokenCommand.Create(),
        ServeCommand.Create(),
        WorkerCommand.Create(),
    };
}
