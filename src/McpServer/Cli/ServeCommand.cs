using System.CommandLine;
using System.Linq;
using McpSecurity.Server.Engine;
using McpSecurity.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace McpSecurity.Server.Cli;

/// <summary><c>serve</c>: the MCP server over stdio or HTTP. Unmatched arguments go to configuration.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var stdio = new Option<bool>("--stdio") { Description = "Serve MCP over stdin/stdout (for a local MCP client)" };
        var http = new Option<bool>("--http") { Description = "Serve MCP over HTTP at /mcp (needs SECRET_KEY)" };
        var urls = new Option<string?>("--urls") { Description = $"HTTP listen URLs (default {ServerHosts.DefaultUrl})" };
        var command = new Command("serve", "Run the MCP server. Other arguments (--McpServer:WorkspaceRoot=…) go to configuration.") { stdio, http, urls };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetGuardedAction(async (parse, cancellationToken) =>
        {
            var hostArgs = parse.UnmatchedTokens.ToList();
            if (parse.GetValue(stdio) == parse.GetValue(http))
            {
                throw new InputException("choose exactly one of --stdio or --http.");
            }

            if (SecretKey.IsInArguments([.. hostArgs]))
            {
                throw new StartupException(SecretKey.OnCommandLineError);
            }

            // Taken in both modes, then the process is made non-dumpable: a program run_program starts must
            // not read the key (or the user's other variables) back from /proc/<server pid>/environ.
            var secretKey = SecretKey.TakeFromEnvironment();
            LinuxProcess.MakeNonDumpable();

            if (parse.GetValue(stdio))
            {
                using var host = ServerHosts.BuildStdio([.. hostArgs]);
                await host.RunAsync(cancellationToken).ConfigureAwait(false);
                return ExitCodes.Clean;
            }

            if (parse.GetValue(urls) is { Length: > 0 } listen)
            {
                hostArgs.Add($"--urls={listen}");
            }

            await using var app = ServerHosts.BuildHttp([.. hostArgs], secretKey);
            await app.RunAsync().ConfigureAwait(false);
            return ExitCodes.Clean;
        });
        return command;
    }
}
