using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers.ProcessExecution;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace McpSecurity.CodeFixes.ProcessExecution;

/// <summary>
/// What the MCPSEC401 and MCPSEC402 fixes write: the start's command line, already split into words
/// by <see cref="CommandLineTokenizer"/>, goes item by item into <c>ArgumentList</c>, with
/// <c>UseShellExecute = false</c>, and for 401 the program the shell would have run becomes the
/// <c>FileName</c>. The plan is made only when every place of the start it must change has a shape
/// it can rewrite; otherwise there is no fix.
/// </summary>
internal sealed class ArgumentListRewrite
{
    private ArgumentListRewrite(
        ProcessLaunch launch,
        string? program,
        ImmutableArray<CommandWord> words,
        LaunchValue? arguments,
        ImmutableArray<LaunchValue> replacedItems,
        string? executable)
    {
        Launch = launch;
        Program = program;
        Words = words;
        Arguments = arguments;
        ReplacedItems = replacedItems;
        EndOfOptions = EndOfOptionsFor(executable, words);
    }

    public ProcessLaunch Launch { get; }

    /// <summary>The new <c>FileName</c>, or null to keep the executable.</summary>
    public string? Program { get; }

    /// <summary>The arguments, each one item of <c>ArgumentList</c>.</summary>
    public ImmutableArray<CommandWord> Words { get; }

    /// <summary>The <c>Arguments</c> string that the list replaces; null when the shell got its command through <c>ArgumentList</c>.</summary>
    public LaunchValue? Arguments { get; }

    /// <summary>The <c>ArgumentList</c> items replaced by <see cref="Words"/> (the shell's flag and command).</summary>
    public ImmutableArray<LaunchValue> ReplacedItems { get; }

    /// <summary>
    /// Where to end the program's options, and with what, so that a value from input cannot be read
    /// as an option (<c>git log --upload-pack=…</c>); null where the program is not known to take it.
    /// </summary>
    public (int Index, string Marker)? EndOfOptions { get; }

    /// <summary>MCPSEC401: run the shell's command itself. Null, with the reason, when the command is not a simple template.</summary>
    public static ArgumentListRewrite? ForShell(ProcessStartFixFacts facts, ProcessLaunch launch, ShellFinding finding, out string? refusal)
    {
        refusal = Refusal(facts, launch);
        if (refusal is not null)
        {
            return null;
        }

        var dialect = finding.Shell.Kind switch
        {
            ShellKind.Posix => CommandDialect.Posix,
            ShellKind.Cmd => CommandDialect.Cmd,
            _ => (CommandDialect?)null,
        };
        if (dialect is null)
        {
            refusal = finding.Shell.Kind == ShellKind.PowerShell ? "a PowerShell script is not a command line" : "the interpreter runs code, not a command line";
            return null;
        }

        if (launch.FileNames.Count != 1 || facts.Locals.Constants(launch.FileNames[0].Value) is not { HasUnknown: false, Constants.Count: 1 })
        {
            refusal = "the executable is not one constant";
            return null;
        }

        CommandTemplate command;
        LaunchValue? arguments = null;
        var replacedItems = ImmutableArray<LaunchValue>.Empty;
        if (finding.ArgumentsTemplate is { } template)
        {
            // The shell's arguments are one string: it must be the Arguments value as written.
            if (!template.IsExact || launch.Arguments.Count != 1 || launch.ArgumentItems.Count > 0
                || !ReferenceEquals(ProcessStartFixFacts.Unwrap(launch.Arguments[0].Value), finding.ReportOn)
                || finding.TrailingWordCount > 0)
            {
                refusal = "the command line is not written in one place";
                return null;
            }

            command = finding.Command;
            arguments = launch.Arguments[0];
        }
        else
        {
            // bash, -c, command as ArgumentList items: the command must be the last item, and every
            // item the shell receives is replaced.
            if (dialect != CommandDialect.Posix || launch.ArgumentItemsOpaque || launch.Arguments.Count > 0
                || finding.TrailingWordCount != 0 || launch.ArgumentItems.Count != finding.Words.Length)
            {
                refusal = "the argument list is not written item by item";
                return null;
            }

            command = CommandTemplate.From(launch.ArgumentItems[launch.ArgumentItems.Count - 1].Value);
            if (!command.IsExact)
            {
                refusal = "the command has format specifiers";
                return null;
            }

            replacedItems = launch.ArgumentItems.ToImmutableArray();
        }

        var tokens = CommandLineTokenizer.Tokenize(command, dialect.Value);
        if (!tokens.Succeeded)
        {
            refusal = "the command has " + tokens.Refusal;
            return null;
        }

        if (tokens.Words.IsEmpty || tokens.Words[0].ConstantText is not { Length: > 0 } program)
        {
            refusal = "the program to run is not a constant word";
            return null;
        }

        if (ShellCommands.IsBuiltin(finding.Shell.Kind, program) || program.StartsWith("-", StringComparison.Ordinal))
        {
            refusal = "'" + program + "' is part of the shell, not a program";
            return null;
        }

        if (dialect == CommandDialect.Cmd && CmdShims.Contains(ShellCommands.Normalize(program)))
        {
            refusal = "'" + program + "' is a batch file on Windows, which only cmd can run";
            return null;
        }

        if (HoleRefusal(tokens.Words) is { } holeRefusal)
        {
            refusal = holeRefusal;
            return null;
        }

        return new ArgumentListRewrite(launch, program, tokens.Words.RemoveAt(0), arguments, replacedItems, program);
    }

    /// <summary>MCPSEC402: split the Arguments string of any program into ArgumentList items.</summary>
    public static ArgumentListRewrite? ForCommandLine(ProcessStartFixFacts facts, ProcessLaunch launch, LaunchValue arguments, out string? refusal)
    {
        refusal = Refusal(facts, launch);
        if (refusal is not null)
        {
            return null;
        }

        if (launch.Arguments.Count != 1 || launch.ArgumentItems.Count > 0 || launch.ArgumentItemsOpaque)
        {
            refusal = "the command line is not written in one place";
            return null;
        }

        var template = CommandTemplate.From(ProcessStartFixFacts.Unwrap(arguments.Value));
        if (!template.IsExact || !template.HasHoles)
        {
            refusal = "the command line has format specifiers";
            return null;
        }

        var tokens = CommandLineTokenizer.Tokenize(template, CommandDialect.Arguments);
        if (!tokens.Succeeded)
        {
            refusal = "the command line has " + tokens.Refusal;
            return null;
        }

        if (HoleRefusal(tokens.Words) is { } holeRefusal)
        {
            refusal = holeRefusal;
            return null;
        }

        var executable = launch.FileNames.Count == 1 && facts.Locals.Constants(launch.FileNames[0].Value) is { HasUnknown: false, Constants.Count: 1 } file
            ? file.Constants[0]
            : null;
        return new ArgumentListRewrite(launch, null, tokens.Words, arguments, ImmutableArray<LaunchValue>.Empty, executable);
    }

    /// <summary>
    /// Programs that end their options at <c>--</c> and read every later word as an operand, as
    /// POSIX utilities do. Not every program: after <c>--</c>, <c>npm run</c> and <c>dotnet run</c>
    /// pass the rest to another program, and <c>git log -- x</c> reads x as a path, not a revision.
    /// </summary>
    private static readonly ImmutableHashSet<string> DoubleDashPrograms = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "rg", "grep", "egrep", "fgrep", "ls", "cat", "head", "tail", "wc", "sort", "uniq", "cut", "du", "stat", "file",
        "rm", "cp", "mv", "mkdir", "rmdir", "touch", "ln", "chmod", "chown", "diff", "realpath", "basename", "dirname");

    /// <summary>
    /// The end-of-options marker before the first word that starts with a value, for a known program:
    /// <c>--end-of-options</c> for git (2.24+; it ends options and keeps revisions revisions), <c>--</c>
    /// for <see cref="DoubleDashPrograms"/>. None when an option follows the value (the marker would
    /// turn it into an operand), when an option precedes it (<c>-n {count}</c>: the value may be that
    /// option's argument), when git's subcommand itself is the value, or when the command line already
    /// ends its options.
    /// </summary>
    private static (int Index, string Marker)? EndOfOptionsFor(string? executable, ImmutableArray<CommandWord> words)
    {
        if (executable is null)
        {
            return null;
        }

        var name = executable.Replace('\\', '/');
        name = name.Substring(name.LastIndexOf('/') + 1);
        if (name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase))
        {
            name = name.Substring(0, name.Length - 4);
        }

        var isGit = name == "git";
        var marker = isGit ? "--end-of-options" : DoubleDashPrograms.Contains(name) ? "--" : null;
        var first = -1;
        for (var i = 0; i < words.Length; i++)
        {
            if (words[i].Parts.Length > 0 && words[i].Parts[0].IsHole)
            {
                first = i;
                break;
            }
        }

        if (marker is null || first < 0 || (isGit && first == 0)
            || (first > 0 && words[first - 1].ConstantText is { } previous && previous.StartsWith("-", StringComparison.Ordinal) && previous.IndexOf('=') < 0)
            || words.Take(first).Any(w => w.ConstantText is "--" or "--end-of-options")
            || words.Skip(first + 1).Any(w => w.Parts.Length > 0 && w.Parts[0].Text is { } text && text.StartsWith("-", StringComparison.Ordinal)))
        {
            return null;
        }

        return (first, marker);
    }

    /// <summary>Programs that are <c>.cmd</c> scripts on Windows: without cmd, <c>FileName = "npm"</c> is not found.</summary>
    private static readonly ImmutableHashSet<string> CmdShims = ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, "npm", "npx", "yarn", "pnpm", "code", "az", "gcloud", "mvn", "gradle");

    private static string? Refusal(ProcessStartFixFacts facts, ProcessLaunch launch)
    {
        if (facts.Symbols.StartInfo.GetMembers("ArgumentList").IsEmpty)
        {
            return "ProcessStartInfo.ArgumentList does not exist in this framework";
        }

        // startInfo = cond ? new ProcessStartInfo { … } : new ProcessStartInfo { … }, or one per branch
        // of an if: one local, several instances. Rewriting one would set UseShellExecute = false on
        // the others, which may be opening a document or a URL on purpose.
        if (launch.Creations.Count > 1)
        {
            return "the ProcessStartInfo is created in more than one place";
        }

        return ProcessStartFixFacts.ShellExecuteIsConstant(launch) ? null : "UseShellExecute is not constant";
    }

    /// <summary>
    /// A hole becomes one argument. A value that stands for several (a joined list, a variable named
    /// like <c>extraArgs</c>) would then reach the program as one: that changes behaviour, so no fix.
    /// </summary>
    private static string? HoleRefusal(ImmutableArray<CommandWord> words)
    {
        foreach (var part in words.SelectMany(w => w.Parts))
        {
            if (ShellFindings.HoleOperation(part) is not { } hole)
            {
                continue;
            }

            if (hole.Syntax is not ExpressionSyntax)
            {
                return "a value that is not written as an expression";
            }

            hole = ProcessStartFixFacts.Unwrap(hole);
            var name = hole switch
            {
                IInvocationOperation { TargetMethod: { Name: "Join", ContainingType.SpecialType: SpecialType.System_String } } => "args",
                ILocalReferenceOperation local => local.Local.Name,
                IParameterReferenceOperation parameter => parameter.Parameter.Name,
                IFieldReferenceOperation field => field.Field.Name,
                IPropertyReferenceOperation property => property.Property.Name,
                _ => null,
            };

            if (name is not null && SeveralArgumentsName(name))
            {
                return "'" + hole.Syntax + "' looks like several arguments, and each value becomes one argument";
            }
        }

        return null;
    }

    private static bool SeveralArgumentsName(string name)
    {
        var lower = name.TrimStart('_').ToLowerInvariant();
        foreach (var suffix in new[] { "args", "arguments", "argv", "options", "flags", "switches", "params", "commandline", "cmdline" })
        {
            if (lower.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // ---- Applying the plan ------------------------------------------------------------------------------
    // New code is parsed from text rather than built with SyntaxFactory: generated nodes carry
    // elastic trivia, and formatting them spreads 'ArgumentList = { … }' over one line per item.

    public async Task<Document?> ApplyAsync(Document document, SemanticModel model, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var items = Words.Select(WordText).ToList();
        if (EndOfOptions is { } end)
        {
            items.Insert(end.Index, StringLiteral(end.Marker));
        }

        var needsShellExecute = Launch.UseShellExecute.Count == 0;

        // Values first: the structural edits below take the nodes as these left them.
        foreach (var shellExecute in Launch.UseShellExecute)
        {
            if (shellExecute.Value.ConstantValue.Value is true && shellExecute.Value.Syntax is ExpressionSyntax value)
            {
                editor.ReplaceNode(value, SyntaxFactory.ParseExpression("false").WithTriviaFrom(value));
            }
        }

        // Process.Start(file, "…") is rewritten whole, its file name with it.
        if (Program is not null && Arguments?.Writer is not IInvocationOperation)
        {
            if (Launch.FileNames[0].Value.Syntax is not ExpressionSyntax fileName)
            {
                return null;
            }

            editor.ReplaceNode(fileName, SyntaxFactory.ParseExpression(StringLiteral(Program)).WithTriviaFrom(fileName));
        }

        var done = Arguments is not null
            ? ReplaceArguments(editor, model, Arguments, items, needsShellExecute)
            : ReplaceItems(editor, items, needsShellExecute);
        return done ? editor.GetChangedDocument() : null;
    }

    private bool ReplaceArguments(DocumentEditor editor, SemanticModel model, LaunchValue arguments, List<string> items, bool needsShellExecute)
    {
        var argumentList = "ArgumentList = { " + string.Join(", ", items) + " }";
        switch (arguments.Writer)
        {
            // Process.Start("bash", "-c …")  →  Process.Start(new ProcessStartInfo { FileName = …, UseShellExecute = false, ArgumentList = { … } })
            case IInvocationOperation { Syntax: InvocationExpressionSyntax call } start:
                if (Launch.FileNames.Count != 1 || !ReferenceEquals(Launch.FileNames[0].Writer, start)
                    || Launch.FileNames[0].Value.Syntax is not ExpressionSyntax originalFile)
                {
                    return false;
                }

                var file = Program is not null ? StringLiteral(Program) : originalFile.WithoutTrivia().ToString();
                var indent = SourceLayout.LineIndentation(call);
                var unit = indent.Contains("\t") ? "\t" : "    ";
                var eol = SourceLayout.EndOfLine(call);
                var startInfo = (ObjectCreationExpressionSyntax)SyntaxFactory.ParseExpression(
                    "new System.Diagnostics.ProcessStartInfo" + eol
                    + indent + "{" + eol
                    + indent + unit + "FileName = " + file + "," + eol
                    + indent + unit + "UseShellExecute = false," + eol
                    + indent + unit + argumentList + "," + eol
                    + indent + "}");
                startInfo = startInfo.WithType(startInfo.Type.WithAdditionalAnnotations(Simplifier.Annotation));
                var nullForgiving = ResultNeedsNullForgiving(model, start);
                editor.ReplaceNode(call, (current, _) =>
                {
                    ExpressionSyntax replacement = ((InvocationExpressionSyntax)current).WithArgumentList(
                        SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(startInfo))));
                    if (nullForgiving)
                    {
                        replacement = SyntaxFactory.PostfixUnaryExpression(SyntaxKind.SuppressNullableWarningExpression, replacement);
                    }

                    return replacement.WithTriviaFrom(current);
                });
                return true;

            // new ProcessStartInfo("bash", "-c …") { … }  →  new ProcessStartInfo("git") { …, UseShellExecute = false, ArgumentList = { … } }
            case IObjectCreationOperation { Syntax: BaseObjectCreationExpressionSyntax { ArgumentList: { } arguments0 } creation }
                when arguments.Value.Syntax is ExpressionSyntax value:
                var argumentIndex = arguments0.Arguments.IndexOf(a => a.Expression == value);
                if (argumentIndex < 0)
                {
                    return false;
                }

                editor.ReplaceNode(creation, (current, _) =>
                {
                    var currentCreation = (BaseObjectCreationExpressionSyntax)current;
                    var currentArguments = currentCreation.ArgumentList!;
                    var withoutArguments = currentCreation.WithArgumentList(currentArguments.WithArguments(currentArguments.Arguments.RemoveAt(argumentIndex)));
                    var members = new List<string>();
                    if (needsShellExecute)
                    {
                        members.Add("UseShellExecute = false");
                    }

                    members.Add(argumentList);
                    return AddMembers(withoutArguments, members);
                });
                return true;

            // { Arguments = "…" }  →  { UseShellExecute = false, ArgumentList = { … } }
            case ISimpleAssignmentOperation { Syntax: AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax initializer } member }:
                var memberIndex = initializer.Expressions.IndexOf(member);
                editor.ReplaceNode(initializer, (current, _) =>
                {
                    var currentInitializer = (InitializerExpressionSyntax)current;
                    var replaced = currentInitializer.Expressions[memberIndex];
                    var expressions = currentInitializer.Expressions.ToList();
                    expressions[memberIndex] = Member(argumentList).WithTriviaFrom(replaced);
                    if (needsShellExecute)
                    {
                        expressions.Insert(memberIndex, Member("UseShellExecute = false").WithLeadingTrivia(replaced.GetLeadingTrivia()));
                    }

                    return WithExpressions(currentInitializer, expressions);
                });
                return true;

            // psi.Arguments = "…";  →  psi.UseShellExecute = false; psi.ArgumentList.Add(…); …
            case ISimpleAssignmentOperation { Syntax: AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax target, Parent: ExpressionStatementSyntax statement } }:
                var receiver = target.Expression.WithoutTrivia().ToString();
                var statements = new List<string>();
                if (needsShellExecute)
                {
                    statements.Add(receiver + ".UseShellExecute = false;");
                }

                statements.AddRange(items.Select(item => receiver + ".ArgumentList.Add(" + item + ");"));
                return ReplaceStatement(editor, statement, statements);

            default:
                return false;
        }
    }

    /// <summary>The shell, its flag and its command as ArgumentList items: all replaced by the program's arguments.</summary>
    private bool ReplaceItems(DocumentEditor editor, List<string> items, bool needsShellExecute)
    {
        var syntaxes = ReplacedItems.Select(i => i.Value.Syntax).ToList();

        // psi.ArgumentList.Add("-c"); psi.ArgumentList.Add(command);
        if (ReplacedItems.All(i => i.Writer is IInvocationOperation { Syntax: InvocationExpressionSyntax { Parent: ExpressionStatementSyntax } }))
        {
            var statements = ReplacedItems.Select(i => (ExpressionStatementSyntax)i.Writer.Syntax.Parent!).ToList();
            if (statements.Select(s => s.Parent).Distinct().Count() != 1
                || ((InvocationExpressionSyntax)statements[0].Expression).Expression is not MemberAccessExpressionSyntax { Expression: MemberAccessExpressionSyntax list })
            {
                return false;
            }

            var added = new List<string>();
            if (needsShellExecute)
            {
                added.Add(list.Expression.WithoutTrivia() + ".UseShellExecute = false;");
            }

            added.AddRange(items.Select(item => list.WithoutTrivia() + ".Add(" + item + ");"));
            for (var i = 1; i < statements.Count; i++)
            {
                editor.RemoveNode(statements[i], SyntaxRemoveOptions.KeepNoTrivia);
            }

            return ReplaceStatement(editor, statements[0], added);
        }

        // ArgumentList = { "-c", command }, new[] { "-c", command }, ["-c", command]
        var container = syntaxes[0].Parent is ExpressionElementSyntax element ? element.Parent : syntaxes[0].Parent;
        if (syntaxes.Any(s => (s.Parent is ExpressionElementSyntax e ? e.Parent : s.Parent) != container))
        {
            return false;
        }

        switch (container)
        {
            case InitializerExpressionSyntax initializer when initializer.Expressions.Count == syntaxes.Count:
                editor.ReplaceNode(initializer, (current, _) =>
                {
                    var currentInitializer = (InitializerExpressionSyntax)current;
                    var replacements = items.Select((item, i) => SyntaxFactory.ParseExpression(item)
                        .WithLeadingTrivia(currentInitializer.Expressions[Math.Min(i, currentInitializer.Expressions.Count - 1)].GetLeadingTrivia()));
                    return WithExpressions(currentInitializer, replacements.ToList());
                });
                if (needsShellExecute && initializer.Parent is AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax objectInitializer } listMember
                    && objectInitializer.IsKind(SyntaxKind.ObjectInitializerExpression))
                {
                    var index = objectInitializer.Expressions.IndexOf(listMember);
                    editor.ReplaceNode(objectInitializer, (current, _) =>
                    {
                        var currentInitializer = (InitializerExpressionSyntax)current;
                        var expressions = currentInitializer.Expressions.ToList();
                        expressions.Insert(index, Member("UseShellExecute = false").WithLeadingTrivia(expressions[index].GetLeadingTrivia()));
                        return WithExpressions(currentInitializer, expressions);
                    });
                }

                return true;

            case CollectionExpressionSyntax collection when collection.Elements.Count == syntaxes.Count:
                editor.ReplaceNode(collection, (current, _) =>
                {
                    var currentCollection = (CollectionExpressionSyntax)current;
                    var count = currentCollection.Elements.Count;
                    var elements = items.Select((item, i) => (CollectionElementSyntax)SyntaxFactory.ExpressionElement(SyntaxFactory.ParseExpression(item))
                        .WithLeadingTrivia(currentCollection.Elements[Math.Min(i, count - 1)].GetLeadingTrivia())
                        .WithTrailingTrivia(i == items.Count - 1 ? currentCollection.Elements[count - 1].GetTrailingTrivia() : default));
                    return currentCollection.WithElements(SyntaxFactory.SeparatedList(elements, Separators(currentCollection.Elements, items.Count)));
                });
                return true;

            default:
                return false;
        }
    }

    /// <summary><c>Process.Start(string, string)</c> never returns null; <c>Process.Start(ProcessStartInfo)</c> is annotated as if it could.</summary>
    private static bool ResultNeedsNullForgiving(SemanticModel model, IInvocationOperation start)
        => start.Parent is not IExpressionStatementOperation
            && (model.GetNullableContext(start.Syntax.SpanStart) & NullableContext.WarningsEnabled) == NullableContext.WarningsEnabled;

    private static bool ReplaceStatement(DocumentEditor editor, StatementSyntax statement, List<string> texts)
    {
        if (texts.Count == 0)
        {
            return false;
        }

        var indentation = statement.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse();
        var eol = SyntaxFactory.EndOfLine(SourceLayout.EndOfLine(statement));
        var statements = new List<StatementSyntax>();
        for (var i = 0; i < texts.Count; i++)
        {
            var parsed = SyntaxFactory.ParseStatement(texts[i]);
            parsed = parsed.WithLeadingTrivia(i == 0 ? statement.GetLeadingTrivia() : SyntaxFactory.TriviaList(indentation));
            parsed = parsed.WithTrailingTrivia(i == texts.Count - 1 ? statement.GetTrailingTrivia() : SyntaxFactory.TriviaList(eol));
            statements.Add(parsed);
        }

        switch (statement.Parent)
        {
            case BlockSyntax or SwitchSectionSyntax:
                editor.InsertBefore(statement, statements);
                editor.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia);
                return true;
            case GlobalStatementSyntax global:
                editor.InsertBefore(global, statements.Select(s => SyntaxFactory.GlobalStatement(s)));
                editor.RemoveNode(global, SyntaxRemoveOptions.KeepNoTrivia);
                return true;
            default:
                // An embedded statement (if (x) psi.Arguments = …;) becomes a block.
                editor.ReplaceNode(statement, SyntaxFactory.Block(statements.Select(s => s.WithoutLeadingTrivia())).WithAdditionalAnnotations(Formatter.Annotation));
                return true;
        }
    }

    // ---- Text ------------------------------------------------------------------------------------------

    /// <summary>
    /// One word as C# text: a literal, the hole's own expression (a string), or an interpolated
    /// string joining constant text and holes (<c>$"--branch={branch}"</c>). Interpolation formats
    /// non-string holes as concatenation and <c>string.Format</c> did.
    /// </summary>
    private static string WordText(CommandWord word)
    {
        if (word.ConstantText is { } text)
        {
            return StringLiteral(text);
        }

        if (word.Parts.Length == 1 && ShellFindings.HoleOperation(word.Parts[0]) is { } single
            && single.Type?.SpecialType == SpecialType.System_String && single.Syntax is ExpressionSyntax expression)
        {
            var expressionText = expression.WithoutTrivia().ToString();
            return expression is AssignmentExpressionSyntax ? "(" + expressionText + ")" : expressionText;
        }

        var builder = new StringBuilder("$\"");
        foreach (var part in word.Parts)
        {
            if (part.Text is { } constant)
            {
                var literal = StringLiteral(constant);
                builder.Append(literal.Substring(1, literal.Length - 2).Replace("{", "{{").Replace("}", "}}"));
                continue;
            }

            var hole = (ExpressionSyntax)ShellFindings.HoleOperation(part)!.Syntax;
            var holeText = hole.WithoutTrivia().ToString();
            builder.Append('{').Append(hole is ConditionalExpressionSyntax or AssignmentExpressionSyntax or LambdaExpressionSyntax ? "(" + holeText + ")" : holeText).Append('}');
        }

        return builder.Append('"').ToString();
    }

    private static string StringLiteral(string text) => SyntaxFactory.Literal(text).Text;

    /// <summary>An object-initializer member parsed from text: <c>ArgumentList = { "log", branch }</c>.</summary>
    private static ExpressionSyntax Member(string text)
        => ((ObjectCreationExpressionSyntax)SyntaxFactory.ParseExpression("new T { " + text + " }")).Initializer!.Expressions[0].WithoutTrivia();

    /// <summary>Appends members to a creation's object initializer, adding one when it has none.</summary>
    private static BaseObjectCreationExpressionSyntax AddMembers(BaseObjectCreationExpressionSyntax creation, List<string> members)
    {
        if (creation.Initializer is null)
        {
            var created = (ObjectCreationExpressionSyntax)SyntaxFactory.ParseExpression("new T { " + string.Join(", ", members) + " }");
            var initializer = created.Initializer!.WithLeadingTrivia(SyntaxFactory.Space);
            if (creation is ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 0 } explicitCreation)
            {
                // new ProcessStartInfo() { … } reads as new ProcessStartInfo { … }
                return explicitCreation.WithArgumentList(null).WithType(explicitCreation.Type.WithoutTrailingTrivia()).WithInitializer(initializer);
            }

            return creation.WithArgumentList(creation.ArgumentList!.WithoutTrailingTrivia()).WithInitializer(initializer.WithTrailingTrivia(creation.ArgumentList!.GetTrailingTrivia()));
        }

        var existing = creation.Initializer.Expressions;
        var leading = existing.Count > 0 ? existing[existing.Count - 1].GetLeadingTrivia() : SyntaxFactory.TriviaList(SyntaxFactory.Space);
        var expressions = existing.ToList();
        expressions.AddRange(members.Select(m => Member(m).WithLeadingTrivia(leading)));
        return creation.WithInitializer(WithExpressions(creation.Initializer, expressions));
    }

    /// <summary>
    /// Replaces an initializer's expressions, keeping its layout: the existing separators (and a
    /// trailing comma) are reused, and the text after the last expression stays after the new last one.
    /// </summary>
    private static InitializerExpressionSyntax WithExpressions(InitializerExpressionSyntax initializer, List<ExpressionSyntax> expressions)
    {
        var old = initializer.Expressions;
        if (old.Count > 0 && expressions.Count > 0 && old.SeparatorCount < old.Count)
        {
            // No trailing comma: the last expression's trailing trivia (a line break before '}') moves to the new last one.
            var lastTrailing = old[old.Count - 1].GetTrailingTrivia();
            for (var i = 0; i < expressions.Count - 1; i++)
            {
                if (lastTrailing.Count > 0 && expressions[i].GetTrailingTrivia().ToFullString() == lastTrailing.ToFullString())
                {
                    expressions[i] = expressions[i].WithoutTrailingTrivia();
                }
            }

            expressions[expressions.Count - 1] = expressions[expressions.Count - 1].WithTrailingTrivia(lastTrailing);
        }

        return initializer.WithExpressions(SyntaxFactory.SeparatedList(expressions, Separators(old, expressions.Count)));
    }

    private static IEnumerable<SyntaxToken> Separators<T>(SeparatedSyntaxList<T> old, int count)
        where T : SyntaxNode
    {
        var trailingComma = old.SeparatorCount > 0 && old.SeparatorCount == old.Count;
        var template = old.SeparatorCount > 0
            ? old.GetSeparator(old.SeparatorCount - 1)
            : SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.CommaToken, SyntaxFactory.TriviaList(SyntaxFactory.Space));
        for (var i = 0; i < count - (trailingComma ? 0 : 1); i++)
        {
            yield return i < old.SeparatorCount - (trailingComma ? 1 : 0) ? old.GetSeparator(i) : template;
        }
    }
}
