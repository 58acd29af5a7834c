using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.Server.Cli;
using McpSecurity.Server.Engine;
using McpSecurity.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Hosting;

namespace McpSecurity.Server;

/// <summary>Exit codes: 0 clean, 1 findings at or above the threshold (or fixes left undone), 2 bad input or configuration.</summary>
public static class Program
{
    public const int Clean = 0;
    public const int Findings = 1;
    public const int BadInput = 2;

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
            return BadInput;
        }

        return await parse.InvokeAsync().ConfigureAwait(false);
    }

    public static RootCommand BuildCommand()
    {
        var root = new RootCommand("McpSecurity: scan and fix C# MCP servers with the MCPSEC rules, and serve the same as an MCP server.");
        root.Subcommands.Add(ScanCommand());
        root.Subcommands.Add(FixCommand());
        root.Subcommands.Add(RulesCommand());
        root.Subcommands.Add(TokenCommand());
        root.Subcommands.Add(ServeCommand());
        return root;
    }

    private static Argument<string[]> PathsArgument() => new("paths")
    {
        Description = ".cs files, folders, .csproj or .sln files",
        Arity = ArgumentArity.OneOrMore,
    };

    private static Command ScanCommand()
    {
        var paths = PathsArgument();
        var format = new Option<string>("--format", "-f") { Description = "text, json or sarif", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "sarif");
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of stdout" };
        var severity = new Option<string>("--severity") { Description = "Lowest severity reported and failing the scan: info, warning or error", DefaultValueFactory = _ => "warning" };
        severity.AcceptOnlyFromAmong("info", "warning", "error");
        var command = new Command("scan", "Scan C# code with every MCPSEC rule. Exit 0 clean, 1 findings, 2 bad input.") { paths, format, output, severity };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                using var sources = await SourceSet.LoadAsync(parse.GetValue(paths)!, Progress, cancellationToken).ConfigureAwait(false);
                var result = await new CodeEngine().ScanAsync(sources, ParseSeverity(parse.GetValue(severity)), Progress, cancellationToken).ConfigureAwait(false);
                Progress($"Scanned {result.FilesScanned} files in {result.ElapsedMilliseconds / 1000:0.00} s");
                ReportWriter.WriteTo(ReportWriter.Render(result, parse.GetValue(format)!), parse.GetValue(output), Console.Out);
                return result.Findings.Count == 0 ? Clean : Findings;
            }
            catch (InputException ex)
            {
                await Console.Error.WriteLineAsync($"error: {InputException.Describe(ex)}").ConfigureAwait(false);
                return BadInput;
            }
        });
        return command;
    }

    private static Command FixCommand()
    {
        var paths = PathsArgument();
        var rules = new Option<string[]>("--rule", "-r") { Description = "Fix only this rule ID (repeatable)", AllowMultipleArgumentsPerToken = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print a unified diff and write nothing" };
        var command = new Command("fix", "Apply the MCPSEC code fixes (Fix All). Writes only inside the given paths.") { paths, rules, dryRun };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                using var sources = await SourceSet.LoadAsync(parse.GetValue(paths)!, Progress, cancellationToken).ConfigureAwait(false);
                var result = await new CodeEngine().FixAsync(sources, parse.GetValue(rules) ?? [], cancellationToken).ConfigureAwait(false);
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
                        await Console.Error.WriteLineAsync($"fixed: {change.File}").ConfigureAwait(false);
                    }
                    else
                    {
                        skipped++;
                        await Console.Error.WriteLineAsync($"not written (outside the given paths): {change.File}").ConfigureAwait(false);
                    }
                }

                foreach (var finding in result.Unfixed)
                {
                    await Console.Error.WriteLineAsync($"not fixed: {finding.File}({finding.Line},{finding.Column}): {finding.Id}: {finding.Message}").ConfigureAwait(false);
                }

                return result.Unfixed.Count == 0 && skipped == 0 ? Clean : Findings;
            }
            catch (InputException ex)
            {
                await Console.Error.WriteLineAsync($"error: {InputException.Describe(ex)}").ConfigureAwait(false);
                return BadInput;
            }
        });
        return command;
    }

    private static Command RulesCommand()
    {
        var id = new Argument<string?>("id") { Description = "Show one rule in full", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("rules", "List the MCPSEC rules, or explain one.") { id };
        command.SetAction(parse =>
        {
            var wanted = parse.GetValue(id);
            if (string.IsNullOrEmpty(wanted))
            {
                foreach (var rule in RuleCatalog.All)
                {
                    Console.Out.WriteLine($"{rule.Id}  {rule.DefaultSeverity,-7}  {rule.Title}");
                }

                return Clean;
            }

            var match = RuleCatalog.All.FirstOrDefault(rule => string.Equals(rule.Id, wanted, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                Console.Error.WriteLine($"error: unknown rule '{wanted}'. Run 'rules' for the list.");
                return BadInput;
            }

            Console.Out.WriteLine($"{match.Id}: {match.Title}");
            Console.Out.WriteLine($"Severity: {match.DefaultSeverity}   Category: {match.Category}   Code fix: {(AnalyzerSet.FixersFor(match.Id).Any() ? "yes" : "no")}");
            Console.Out.WriteLine();
            Console.Out.WriteLine(match.Description);
            foreach (var option in RuleCatalog.OptionsOf(match.Id))
            {
                Console.Out.WriteLine($"Option {option.Key} (default '{option.DefaultValue}'): {option.Description}");
            }

            Console.Out.WriteLine($"More: {match.HelpLinkUri}");
            return Clean;
        });
        return command;
    }

    private static Command TokenCommand()
    {
        var subject = new Option<string>("--subject") { Description = "Who the token is for (the 'sub' claim)", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = $"Scopes to grant: {Scopes.Tools} (all tools but run_program), {Scopes.RunProgram} (run_program)", DefaultValueFactory = _ => [Scopes.Tools], AllowMultipleArgumentsPerToken = true };
        var ttl = new Option<TimeSpan>("--ttl") { Description = "Lifetime, e.g. 01:00:00 for one hour", DefaultValueFactory = _ => TimeSpan.FromHours(1) };
        var issuer = new Option<string>("--issuer") { DefaultValueFactory = _ => new ServerSettings().Issuer };
        var audience = new Option<string>("--audience") { DefaultValueFactory = _ => new ServerSettings().Audience };
        var command = new Command("token", "Mint an HS256 bearer token for HTTP clients, signed with SECRET_KEY.") { subject, scopes, ttl, issuer, audience };
        command.SetAction(parse =>
        {
            if (!SecretKey.TryCreate(Environment.GetEnvironmentVariable(SecretKey.VariableName), out var key, out var error))
            {
                Console.Error.WriteLine($"error: {error}");
                return BadInput;
            }

            var lifetime = parse.GetValue(ttl);
            if (lifetime <= TimeSpan.Zero || lifetime > TimeSpan.FromDays(30))
            {
                Console.Error.WriteLine("error: --ttl must be positive and at most 30 days.");
                return BadInput;
            }

            var granted = (parse.GetValue(scopes) ?? []).SelectMany(s => s.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries));
            Console.Out.WriteLine(TokenIssuer.Create(key!, parse.GetValue(issuer)!, parse.GetValue(audience)!, parse.GetValue(subject)!, granted, lifetime));
            return Clean;
        });
        return command;
    }

    private static Command ServeCommand()
    {
        var stdio = new Option<bool>("--stdio") { Description = "Serve MCP over stdin/stdout (for a local MCP client)" };
        var http = new Option<bool>("--http") { Description = "Serve MCP over HTTP at /mcp (needs SECRET_KEY)" };
        var urls = new Option<string?>("--urls") { Description = $"HTTP listen URLs (default {ServerHosts.DefaultUrl})" };
        var command = new Command("serve", "Run the MCP server. Other arguments (--McpServer:WorkspaceRoot=…) go to configuration.") { stdio, http, urls };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var hostArgs = parse.UnmatchedTokens.ToList();
            if (parse.GetValue(stdio) == parse.GetValue(http))
            {
                await Console.Error.WriteLineAsync("error: choose exactly one of --stdio or --http.").ConfigureAwait(false);
                return BadInput;
            }

            if (parse.GetValue(stdio))
            {
                using var host = ServerHosts.BuildStdio([.. hostArgs]);
                await host.RunAsync(cancellationToken).ConfigureAwait(false);
                return Clean;
            }

            if (parse.GetValue(urls) is { Length: > 0 } listen)
            {
                hostArgs.Add($"--urls={listen}");
            }

            try
            {
                await using var app = ServerHosts.BuildHttp([.. hostArgs]);
                await app.RunAsync().ConfigureAwait(false);
                return Clean;
            }
            catch (StartupException ex)
            {
                await Console.Error.WriteLineAsync($"error: {InputException.Describe(ex)}").ConfigureAwait(false);
                return BadInput;
            }
        });
        return command;
    }

    private static void Progress(string message) => Console.Error.WriteLine(message);

    private static DiagnosticSeverity ParseSeverity(string? value) => value switch
    {
        "info" => DiagnosticSeverity.Info,
        "error" => DiagnosticSeverity.Error,
        _ => DiagnosticSeverity.Warning,
    };
}
