using System;
using System.CommandLine;
using System.Linq;
using McpSecurity.Analyzers;
using McpSecurity.Server.Engine;
using McpSecurity.Server.Tools;

namespace McpSecurity.Server.Cli;

/// <summary><c>rules</c>: the MCPSEC catalogue, or one rule in full.</summary>
public static class RulesCommand
{
    public static Command Create()
    {
        var id = new Argument<string?>("id") { Description = "Show one rule in full", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("rules", "List the MCPSEC rules, or explain one.") { id };
        command.SetGuardedAction(parse =>
        {
            var wanted = parse.GetValue(id);
            if (string.IsNullOrEmpty(wanted))
            {
                foreach (var rule in RuleCatalog.All)
                {
                    Console.Out.WriteLine($"{rule.Id}  {rule.DefaultSeverity,-7}  {rule.Title}");
                }

                return ExitCodes.Clean;
            }

            var match = RuleCatalog.All.FirstOrDefault(rule => string.Equals(rule.Id, wanted, StringComparison.OrdinalIgnoreCase))
                ?? throw new InputException($"unknown rule '{wanted}'. Run 'rules' for the list.");
            // The rule's page, embedded in the tool: readable offline and without the repository.
            var page = RulePages.Find(match.Id);
            if (page is not null)
            {
                Console.Out.Write(page.EndsWith('\n') ? page : page + "\n");
            }
            else
            {
                Console.Out.WriteLine($"{match.Id}: {match.Title}");
                Console.Out.WriteLine();
                Console.Out.WriteLine(match.Description);
            }

            Console.Out.WriteLine();
            Console.Out.WriteLine($"Severity: {match.DefaultSeverity}   Category: {match.Category}   Code fix: {(AnalyzerSet.FixersFor(match.Id).Any() ? "yes" : "no")}");
            if (!string.IsNullOrEmpty(match.HelpLinkUri))
            {
                Console.Out.WriteLine($"More: {match.HelpLinkUri}");
            }

            return ExitCodes.Clean;
        });
        return command;
    }
}
