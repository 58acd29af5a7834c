using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.ProcessExecution;

/// <summary>A shell or interpreter running a command, found in one launch: what MCPSEC401 reports and its fix rewrites.</summary>
internal sealed class ShellFinding
{
    public ShellFinding(
        ProcessLaunch launch,
        string fileName,
        ShellCommand shell,
        IOperation reportOn,
        CommandTemplate? argumentsTemplate,
        ImmutableArray<CommandWord> words,
        CommandTemplate command)
    {
        Launch = launch;
        FileName = fileName;
        Shell = shell;
        ReportOn = reportOn;
        ArgumentsTemplate = argumentsTemplate;
        Words = words;
        Command = command;
    }

    public ProcessLaunch Launch { get; }

    /// <summary>The executable as written (<c>/bin/bash</c>).</summary>
    public string FileName { get; }

    public ShellCommand Shell { get; }

    /// <summary>The <c>Arguments</c> expression, or the <c>ArgumentList</c> item, that carries the command.</summary>
    public IOperation ReportOn { get; }

    /// <summary>The whole <c>Arguments</c> string as a template; null when the arguments are a list.</summary>
    public CommandTemplate? ArgumentsTemplate { get; }

    /// <summary>The arguments the shell receives.</summary>
    public ImmutableArray<CommandWord> Words { get; }

    /// <summary>The command text the shell parses.</summary>
    public CommandTemplate Command { get; }

    public bool IsConstant => Command.IsConstant;

    /// <summary>The arguments after the command (<c>sh -c 'cmd "$1"' _ value</c>): positional parameters, not shell code.</summary>
    public int TrailingWordCount => Shell.CommandIsRestOfLine ? 0 : Words.Length - Shell.FlagIndex - 2;
}

/// <summary>Finds MCPSEC401's shell commands in a launch; the fix calls the same code, so the two agree.</summary>
internal static class ShellFindings
{
    private const int MaxExpansions = 8;

    public static List<ShellFinding> Find(ProcessLaunch launch, LocalValues locals)
    {
        var findings = new List<ShellFinding>();
        var files = new List<string>();
        foreach (var fileName in launch.FileNames)
        {
            foreach (var constant in locals.Constants(fileName.Value).Constants)
            {
                if (!files.Contains(constant))
                {
                    files.Add(constant);
                }
            }
        }

        foreach (var file in files)
        {
            foreach (var arguments in launch.Arguments)
            {
                foreach (var leaf in locals.Alternatives(arguments.Value))
                {
                    foreach (var template in Expand(CommandTemplate.From(leaf), locals))
                    {
                        var words = CommandLineTokenizer.SplitArguments(template);
                        if (ShellCommands.Find(file, words) is not { } shell)
                        {
                            continue;
                        }

                        CommandTemplate command;
                        if (shell.CommandIsRestOfLine)
                        {
                            command = CommandLineTokenizer.Rest(template, words[shell.FlagIndex].End);
                        }
                        else if (shell.FlagIndex + 1 < words.Length)
                        {
                            command = new CommandTemplate(words[shell.FlagIndex + 1].Parts);
                        }
                        else
                        {
                            continue;
                        }

                        Add(findings, new ShellFinding(launch, file, shell, leaf, template, words, command));
                    }
                }
            }

            foreach (var items in ItemSequences(launch.ArgumentItems))
            {
                var words = items
                    .Select(item => locals.Constants(item.Value) is { HasUnknown: false, Constants: { Count: 1 } constants }
                        ? CommandWord.Constant(constants[0])
                        : new CommandWord(CommandTemplate.From(item.Value).Parts, default))
                    .ToImmutableArray();
                if (ShellCommands.Find(file, words) is { } shell && shell.FlagIndex + 1 < words.Length)
                {
                    var commandWords = shell.CommandIsRestOfLine
                        ? words.Skip(shell.FlagIndex + 1).ToList()
                        : new List<CommandWord> { words[shell.FlagIndex + 1] };
                    var firstHole = commandWords.FirstOrDefault(w => !w.IsConstant);
                    var reportIndex = firstHole is null ? shell.FlagIndex + 1 : words.IndexOf(firstHole);
                    var parts = ImmutableArray.CreateBuilder<TemplatePart>();
                    foreach (var word in commandWords)
                    {
                        if (parts.Count > 0)
                        {
                            parts.Add(TemplatePart.Literal(" "));
                        }

                        parts.AddRange(word.Parts);
                    }

                    Add(findings, new ShellFinding(launch, file, shell, items[reportIndex].Value, null, words, new CommandTemplate(parts.ToImmutable())));
                }
            }
        }

        return findings;
    }

    /// <summary>
    /// The argument lists a start may receive. The items are gathered flow-insensitively, so an
    /// instance filled in the branches of an <c>if</c> (<c>cmd /c …</c> on Windows, <c>bash -c …</c>
    /// elsewhere) holds both lists at once. Each block that adds items gives the list its items form
    /// with the items added before it in the blocks around it; the whole list comes last.
    /// </summary>
    private static List<List<LaunchValue>> ItemSequences(List<LaunchValue> items)
    {
        var sequences = new List<List<LaunchValue>>();
        if (items.Count == 0)
        {
            return sequences;
        }

        var scopes = items.Select(item => Scope(item.Writer.Syntax)).Distinct().ToList();
        if (scopes.Count > 1)
        {
            foreach (var scope in scopes)
            {
                if (scope is null)
                {
                    continue;
                }

                sequences.Add(items.Where(item => Scope(item.Writer.Syntax) is { } itemScope
                    && (itemScope == scope || itemScope.Span.Contains(scope.Span) && item.Writer.Syntax.SpanStart < scope.SpanStart)).ToList());
            }
        }

        sequences.Add(items);
        return sequences;
    }

    private static SyntaxNode? Scope(SyntaxNode node)
        => node.Ancestors().FirstOrDefault(a => a is BlockSyntax or SwitchSectionSyntax or CompilationUnitSyntax);

    /// <summary>The operation a hole stands for (the expression of an interpolation hole).</summary>
    public static IOperation? HoleOperation(TemplatePart part)
        => part.Hole switch
        {
            IInterpolationOperation interpolation => interpolation.Expression,
            IOperation operation => operation,
            _ => null,
        };

    private static void Add(List<ShellFinding> findings, ShellFinding finding)
    {
        // One finding per reported expression; a non-constant reading wins over a constant one.
        var existing = findings.FindIndex(f => ReferenceEquals(f.ReportOn, finding.ReportOn));
        if (existing < 0)
        {
            findings.Add(finding);
        }
        else if (findings[existing].IsConstant && !finding.IsConstant)
        {
            findings[existing] = finding;
        }
    }

    /// <summary>Holes that are locals with a few constant values (<c>flag</c> in <c>$"{flag} {cmd}"</c>) become each value in turn.</summary>
    private static IEnumerable<CommandTemplate> Expand(CommandTemplate template, LocalValues locals)
    {
        var results = new List<ImmutableArray<TemplatePart>> { ImmutableArray<TemplatePart>.Empty };
        var expanded = false;
        foreach (var part in template.Parts)
        {
            var choices = new List<TemplatePart> { part };
            if (part.IsHole && HoleOperation(part) is { } operation && part.Hole is not IInterpolationOperation { Alignment: not null } and not IInterpolationOperation { FormatString: not null })
            {
                var (constants, hasUnknown) = locals.Constants(operation);
                if (!hasUnknown && constants.Count > 0 && constants.Count * results.Count <= MaxExpansions)
                {
                    choices = constants.Select(TemplatePart.Literal).ToList();
                    expanded = true;
                }
            }

            results = results.SelectMany(r => choices.Select(c => r.Add(c))).ToList();
        }

        // An expanded template is not the code as written: the fix does not rewrite from it.
        return results.Select(parts => new CommandTemplate(parts, template.IsExact && !expanded));
    }
}
