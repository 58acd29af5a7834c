using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;

namespace McpSecurity.Analyzers.ProcessExecution;

/// <summary>How a command text is split into arguments.</summary>
internal enum CommandDialect
{
    /// <summary><c>ProcessStartInfo.Arguments</c>: split by .NET (and by the child's C runtime on Windows): double quotes group, nothing else is special.</summary>
    Arguments,

    /// <summary>The command string of <c>sh -c</c> and the other POSIX shells.</summary>
    Posix,

    /// <summary>The command line after <c>cmd /c</c>: cmd's own syntax, then the program's C-runtime splitting.</summary>
    Cmd,
}

/// <summary>A position in a template: before character <see cref="Offset"/> of part <see cref="Part"/> (for a hole, 0 is before it and 1 after).</summary>
internal readonly struct TemplatePosition
{
    public TemplatePosition(int part, int offset)
    {
        Part = part;
        Offset = offset;
    }

    public int Part { get; }

    public int Offset { get; }
}

/// <summary>One argument: constant text joined with holes (<c>--branch=</c> + <c>{branch}</c> is one word).</summary>
internal sealed class CommandWord
{
    public CommandWord(ImmutableArray<TemplatePart> parts, TemplatePosition end)
    {
        Parts = parts;
        End = end;
    }

    public ImmutableArray<TemplatePart> Parts { get; }

    /// <summary>Where the word ends in the template it was split from.</summary>
    public TemplatePosition End { get; }

    public bool IsConstant => Parts.All(p => !p.IsHole);

    /// <summary>The word's text when it is constant; null otherwise.</summary>
    public string? ConstantText => IsConstant ? string.Concat(Parts.Select(p => p.Text)) : null;

    public static CommandWord Constant(string text) => new(ImmutableArray.Create(TemplatePart.Literal(text)), default);

    public static CommandWord ForHole(object hole) => new(ImmutableArray.Create(TemplatePart.ForHole(hole)), default);

    public override string ToString() => string.Concat(Parts.Select(p => p.ToString()));
}

/// <summary>The words of a template, or why it cannot be split without changing what runs.</summary>
internal sealed class TokenizeResult
{
    private TokenizeResult(ImmutableArray<CommandWord> words, string? refusal)
    {
        Words = words;
        Refusal = refusal;
    }

    public ImmutableArray<CommandWord> Words { get; }

    /// <summary>Null when the split is exact; otherwise what made it ambiguous (a metacharacter, a quote, …).</summary>
    public string? Refusal { get; }

    public bool Succeeded => Refusal is null;

    public static TokenizeResult Success(ImmutableArray<CommandWord> words) => new(words, null);

    public static TokenizeResult Refuse(string reason) => new(ImmutableArray<CommandWord>.Empty, reason);
}

/// <summary>
/// Splits a command template (constant text and holes) into words. <see cref="Tokenize"/> is strict:
/// it is what the rewrite to <c>ArgumentList</c> relies on, so it refuses anything whose meaning a
/// plain list of arguments cannot keep — shell metacharacters (<c>| &amp; ; &lt; &gt; $ ` ( ) * ? [ ] { } ~ !</c>,
/// a newline, a comment), unterminated or ambiguous quoting, backslashes before quotes in .NET
/// arguments, cmd's <c>% ^</c>. Each hole becomes part of exactly one word: the value the shell
/// would have split or expanded is passed as one argument, which is the point of the rewrite.
/// <see cref="SplitArguments"/> is lenient, for finding a shell's command flag in analysis.
/// </summary>
internal static class CommandLineTokenizer
{
    private const string PosixMetacharacters = "|&;<>()$`*?[]{}~!";
    private const string CmdMetacharacters = "%!^&|<>()";

    public static TokenizeResult Tokenize(CommandTemplate template, CommandDialect dialect)
    {
        switch (dialect)
        {
            case CommandDialect.Posix:
                return TokenizePosix(template);
            case CommandDialect.Cmd:
                foreach (var part in template.Parts.Where(p => !p.IsHole))
                {
                    var bad = part.Text!.FirstOrDefault(c => CmdMetacharacters.IndexOf(c) >= 0);
                    if (bad != default)
                    {
                        return TokenizeResult.Refuse($"the cmd metacharacter '{bad}'");
                    }
                }

                if (template.Parts.Length > 0 && !template.Parts[0].IsHole && template.Parts[0].Text!.TrimStart().StartsWith("\"", System.StringComparison.Ordinal))
                {
                    return TokenizeResult.Refuse("a leading quote, which cmd /c may strip");
                }

                return TokenizeArguments(template, strict: true);
            default:
                return TokenizeArguments(template, strict: true);
        }
    }

    /// <summary>The words .NET passes to the program for an <c>Arguments</c> string; never refuses.</summary>
    public static ImmutableArray<CommandWord> SplitArguments(CommandTemplate template)
        => TokenizeArguments(template, strict: false).Words;

    /// <summary>The template from <paramref name="position"/> on, without leading blanks: cmd's and PowerShell's command after the flag.</summary>
    public static CommandTemplate Rest(CommandTemplate template, TemplatePosition position)
    {
        var parts = ImmutableArray.CreateBuilder<TemplatePart>();
        for (var i = position.Part; i < template.Parts.Length; i++)
        {
            var part = template.Parts[i];
            if (i == position.Part)
            {
                if (part.IsHole)
                {
                    if (position.Offset == 0)
                    {
                        parts.Add(part);
                    }

                    continue;
                }

                parts.Add(TemplatePart.Literal(part.Text!.Substring(System.Math.Min(position.Offset, part.Text.Length))));
                continue;
            }

            parts.Add(part);
        }

        if (parts.Count > 0 && !parts[0].IsHole)
        {
            parts[0] = TemplatePart.Literal(parts[0].Text!.TrimStart(' ', '\t'));
        }

        return new CommandTemplate(parts.ToImmutable());
    }

    private static TokenizeResult TokenizeArguments(CommandTemplate template, bool strict)
    {
        var words = new WordCollector();
        var quoted = false;
        for (var p = 0; p < template.Parts.Length; p++)
        {
            var part = template.Parts[p];
            if (part.IsHole)
            {
                words.AddHole(part);
                words.Mark(p, 1);
                continue;
            }

            var text = part.Text!;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c is '\r' or '\n')
                {
                    if (strict)
                    {
                        return TokenizeResult.Refuse("a line break");
                    }

                    words.Append(c);
                    continue;
                }

                if (c == '\\')
                {
                    var run = 1;
                    while (i + run < text.Length && text[i + run] == '\\')
                    {
                        run++;
                    }

                    if (i + run < text.Length && text[i + run] == '"')
                    {
                        if (strict)
                        {
                            return TokenizeResult.Refuse("backslashes before a quote");
                        }

                        // 2n backslashes + quote: n backslashes and a toggle; 2n+1: n backslashes and a literal quote.
                        words.Append(new string('\\', run / 2));
                        if (run % 2 == 1)
                        {
                            words.Append('"');
                        }
                        else
                        {
                            quoted = !quoted;
                            words.Touch();
                        }

                        i += run;
                        continue;
                    }

                    words.Append(new string('\\', run));
                    i += run - 1;
                    continue;
                }

                if (c == '"')
                {
                    if (quoted && i + 1 < text.Length && text[i + 1] == '"' && strict)
                    {
                        return TokenizeResult.Refuse("a doubled quote inside quotes");
                    }

                    quoted = !quoted;
                    words.Touch();
                    continue;
                }

                if (!quoted && c is ' ' or '\t')
                {
                    words.Mark(p, i);
                    words.EndWord();
                    continue;
                }

                words.Append(c);
            }

            words.Mark(p, text.Length);
        }

        if (quoted && strict)
        {
            return TokenizeResult.Refuse("an unterminated quote");
        }

        words.EndWord();
        return TokenizeResult.Success(words.ToImmutable());
    }

    private static TokenizeResult TokenizePosix(CommandTemplate template)
    {
        var words = new WordCollector();
        var state = PosixState.Plain;
        for (var p = 0; p < template.Parts.Length; p++)
        {
            var part = template.Parts[p];
            if (part.IsHole)
            {
                words.AddHole(part);
                continue;
            }

            var text = part.Text!;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c is '\r' or '\n')
                {
                    return TokenizeResult.Refuse("a line break");
                }

                switch (state)
                {
                    case PosixState.Single:
                        if (c == '\'')
                        {
                            state = PosixState.Plain;
                        }
                        else
                        {
                            words.Append(c);
                        }

                        continue;

                    case PosixState.Double:
                        if (c == '"')
                        {
                            state = PosixState.Plain;
                        }
                        else if (c == '\\' && i + 1 < text.Length && text[i + 1] is '$' or '`' or '"' or '\\')
                        {
                            words.Append(text[++i]);
                        }
                        else if (c is '$' or '`' or '!')
                        {
                            return TokenizeResult.Refuse($"the shell metacharacter '{c}' inside double quotes");
                        }
                        else
                        {
                            words.Append(c);
                        }

                        continue;
                }

                if (c is ' ' or '\t')
                {
                    words.EndWord();
                    continue;
                }

                if (c == '\'')
                {
                    state = PosixState.Single;
                    words.Touch();
                    continue;
                }

                if (c == '"')
                {
                    state = PosixState.Double;
                    words.Touch();
                    continue;
                }

                if (c == '\\')
                {
                    if (i + 1 >= text.Length)
                    {
                        return TokenizeResult.Refuse("a backslash at the end of the constant text");
                    }

                    words.Append(text[++i]);
                    continue;
                }

                if (PosixMetacharacters.IndexOf(c) >= 0)
                {
                    return TokenizeResult.Refuse($"the shell metacharacter '{c}'");
                }

                if (c == '#' && !words.InWord)
                {
                    return TokenizeResult.Refuse("a comment");
                }

                if (c == '=' && words.Count == 0)
                {
                    return TokenizeResult.Refuse("a variable assignment");
                }

                words.Append(c);
            }
        }

        if (state != PosixState.Plain)
        {
            return TokenizeResult.Refuse("an unterminated quote");
        }

        words.EndWord();
        return TokenizeResult.Success(words.ToImmutable());
    }

    private enum PosixState
    {
        Plain,
        Single,
        Double,
    }

    /// <summary>Collects words of text and holes; a quote alone (<c>""</c>) starts an empty word.</summary>
    private sealed class WordCollector
    {
        private readonly List<CommandWord> words = new();
        private readonly List<TemplatePart> parts = new();
        private readonly StringBuilder text = new();
        private TemplatePosition end;

        public bool InWord { get; private set; }

        public int Count => words.Count;

        public void Append(char c)
        {
            text.Append(c);
            InWord = true;
        }

        public void Append(string s)
        {
            text.Append(s);
            InWord = true;
        }

        public void Touch() => InWord = true;

        public void AddHole(TemplatePart hole)
        {
            FlushText();
            parts.Add(hole);
            InWord = true;
        }

        public void Mark(int part, int offset) => end = new TemplatePosition(part, offset);

        public void EndWord()
        {
            if (!InWord)
            {
                return;
            }

            FlushText();
            if (parts.Count == 0)
            {
                parts.Add(TemplatePart.Literal(string.Empty));
            }

            words.Add(new CommandWord(parts.ToImmutableArray(), end));
            parts.Clear();
            InWord = false;
        }

        public ImmutableArray<CommandWord> ToImmutable() => words.ToImmutableArray();

        private void FlushText()
        {
            if (text.Length > 0)
            {
                parts.Add(TemplatePart.Literal(text.ToString()));
                text.Clear();
            }
        }
    }
}
