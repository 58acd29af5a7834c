using System;
using System.CommandLine;
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
        var command = new Command("scan", "Scan C# code with every MCPSEC rule. Exit 0 clean, 1 findings, 2 bad input.") { paths, format, output, severity };
        command.SetGuardedAction(async (parse, cancellationToken) =>
        {
            using var sources = await SourceSet.LoadAsync(parse.GetValue(paths)!, CommandActions.Progress, cancellationToken).ConfigureAwait(false);
            await CommandActions.WarnAboutSyntaxErrorsAsync(sources, cancellationToken).ConfigureAwait(false);
            var result = await new CodeEngine().ScanAsync(sources, ParseSeverity(parse.GetValue(severity)), CommandActions.Progress, cancellationToken).ConfigureAwait(false);
            CommandActions.Progress($"Scanned {result.FilesScanned} files in {result.ElapsedMilliseconds / 1000:0.00} s");
            ReportWriter.WriteTo(ReportWriter.Render(result, parse.GetValue(format)!, sources.DisplayBase), parse.GetValue(output), Console.Out);
            return result.Findings.Count == 0 ? ExitCodes.Clean : ExitCodes.Findings;
        });
        return command;
    }

    private static DiagnosticSeverity ParseSeverity(string? value) => value switch
    {
        "info" => DiagnosticSeverity.Info,
        "error" => DiagnosticSeverity.Error,
        _ => DiagnosticSeverity.Warning,
    };
}
