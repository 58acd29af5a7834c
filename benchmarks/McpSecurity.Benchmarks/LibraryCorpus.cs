using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace McpSecurity.Benchmarks;

/// <summary>
/// A deterministic corpus shaped like an ordinary library that starts no process, hosts no MCP server
/// and logs nothing: collections, a tokenizer and parser, string formatting, argument validation that
/// throws, typed catches. Most code a team builds looks like this, so it is where the analyzers must
/// cost next to nothing. Nothing in it is a finding.
/// </summary>
internal static class LibraryCorpus
{
    public const int FileCount = 90;

    public static CSharpCompilation Compile()
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new List<SyntaxTree>();
        for (var i = 0; i < FileCount; i++)
        {
            trees.Add(CSharpSyntaxTree.ParseText(LibraryFile(i), parseOptions, path: $"Library{i:D3}.cs"));
        }

        return CSharpCompilation.Create(
            "LibraryCorpus",
            trees,
            Corpus.FrameworkReferences(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    private static string LibraryFile(int i)
    {
        var n = i.ToString("D3", CultureInfo.InvariantCulture);
        var text = new StringBuilder($$"""
            using System;
            using System.Collections;
            using System.Collections.Generic;
            using System.Globalization;
            using System.IO;
            using System.Text;

            namespace Library.Part{{n}};

            /// <summary>A growable ring buffer.</summary>
            public sealed class RingBuffer{{n}}<T> : IEnumerable<T>
            {
                private T[] items;
                private int head;
                private int count;

                public RingBuffer{{n}}(int capacity)
                {
                    if (capacity <= 0)
                    {
                        throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Capacity must be positive.");
                    }

                    items = new T[capacity];
                }

                public int Count => count;

                public T this[int index]
                {
                    get
                    {
                        if ((uint)index >= (uint)count)
                        {
                            throw new ArgumentOutOfRangeException(nameof(index));
                        }

                        return items[(head + index) % items.Length];
                    }
                }

                public void Add(T item)
                {
                    if (count == items.Length)
                    {
                        Grow();
                    }

                    items[(head + count) % items.Length] = item;
                    count++;
                }

                public T RemoveFirst()
                {
                    if (count == 0)
                    {
                        throw new InvalidOperationException("The buffer is empty.");
                    }

                    var item = items[head];
                    items[head] = default!;
                    head = (head + 1) % items.Length;
                    count--;
                    return item;
                }

                private void Grow()
                {
                    var larger = new T[items.Length * 2];
                    for (var k = 0; k < count; k++)
                    {
                        larger[k] = items[(head + k) % items.Length];
                    }

                    items = larger;
                    head = 0;
                }

                public IEnumerator<T> GetEnumerator()
                {
                    for (var k = 0; k < count; k++)
                    {
                        yield return items[(head + k) % items.Length];
                    }
                }

                IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
            }

            public enum TokenKind{{n}} { Number, Identifier, Symbol, String, End }

            public readonly record struct Token{{n}}(TokenKind{{n}} Kind, string Text, int Position);

            /// <summary>Splits an expression into tokens.</summary>
            public sealed class Tokenizer{{n}}
            {
                private readonly string source;
                private int position;

                public Tokenizer{{n}}(string source) => this.source = source ?? throw new ArgumentNullException(nameof(source));

                public Token{{n}} Next()
                {
                    while (position < source.Length && char.IsWhiteSpace(source[position]))
                    {
                        position++;
                    }

                    if (position >= source.Length)
                    {
                        return new Token{{n}}(TokenKind{{n}}.End, string.Empty, position);
                    }

                    var start = position;
                    var c = source[position];
                    if (char.IsDigit(c))
                    {
                        while (position < source.Length && (char.IsDigit(source[position]) || source[position] == '.'))
                        {
                            position++;
                        }

                        return new Token{{n}}(TokenKind{{n}}.Number, source.Substring(start, position - start), start);
                    }

                    if (char.IsLetter(c) || c == '_')
                    {
                        while (position < source.Length && (char.IsLetterOrDigit(source[position]) || source[position] == '_'))
                        {
                            position++;
                        }

                        return new Token{{n}}(TokenKind{{n}}.Identifier, source.Substring(start, position - start), start);
                    }

                    if (c == '"')
                    {
                        position++;
                        var builder = new StringBuilder();
                        while (position < source.Length && source[position] != '"')
                        {
                            if (source[position] == '\\' && position + 1 < source.Length)
                            {
                                position++;
                                builder.Append(source[position] switch { 'n' => '\n', 't' => '\t', var other => other });
                            }
                            else
                            {
                                builder.Append(source[position]);
                            }

                            position++;
                        }

                        if (position >= source.Length)
                        {
                            throw new FormatException($"Unterminated string at {start}.");
                        }

                        position++;
                        return new Token{{n}}(TokenKind{{n}}.String, builder.ToString(), start);
                    }

                    position++;
                    return new Token{{n}}(TokenKind{{n}}.Symbol, c.ToString(), start);
                }
            }

            /// <summary>Evaluates + - * / over numbers with precedence and parentheses.</summary>
            public sealed class Calculator{{n}}
            {
                private readonly Tokenizer{{n}} tokens;
                private Token{{n}} current;

                private Calculator{{n}}(string expression)
                {
                    tokens = new Tokenizer{{n}}(expression);
                    current = tokens.Next();
                }

                public static double Evaluate(string expression)
                {
                    var calculator = new Calculator{{n}}(expression);
                    var value = calculator.Sum();
                    if (calculator.current.Kind != TokenKind{{n}}.End)
                    {
                        throw new FormatException("Unexpected '" + calculator.current.Text + "' at " + calculator.current.Position.ToString(CultureInfo.InvariantCulture));
                    }

                    return value;
                }

                public static bool TryEvaluate(string expression, out double value)
                {
                    try
                    {
                        value = Evaluate(expression);
                        return true;
                    }
                    catch (FormatException)
                    {
                        value = double.NaN;
                        return false;
                    }
                    catch (DivideByZeroException)
                    {
                        value = double.PositiveInfinity;
                        return false;
                    }
                }

                private double Sum()
                {
                    var value = Product();
                    while (current.Kind == TokenKind{{n}}.Symbol && (current.Text == "+" || current.Text == "-"))
                    {
                        var op = current.Text;
                        current = tokens.Next();
                        var right = Product();
                        value = op == "+" ? value + right : value - right;
                    }

                    return value;
                }

                private double Product()
                {
                    var value = Primary();
                    while (current.Kind == TokenKind{{n}}.Symbol && (current.Text == "*" || current.Text == "/"))
                    {
                        var op = current.Text;
                        current = tokens.Next();
                        var right = Primary();
                        if (op == "/" && right == 0)
                        {
                            throw new DivideByZeroException();
                        }

                        value = op == "*" ? value * right : value / right;
                    }

                    return value;
                }

                private double Primary()
                {
                    var token = current;
                    switch (token.Kind)
                    {
                        case TokenKind{{n}}.Number:
                            current = tokens.Next();
                            return double.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture);
                        case TokenKind{{n}}.Symbol when token.Text == "(":
                            current = tokens.Next();
                            var inner = Sum();
                            if (current.Text != ")")
                            {
                                throw new FormatException($"Expected ')' at {current.Position}.");
                            }

                            current = tokens.Next();
                            return inner;
                        case TokenKind{{n}}.Symbol when token.Text == "-":
                            current = tokens.Next();
                            return -Primary();
                        default:
                            throw new FormatException($"Unexpected '{token.Text}' at {token.Position}.");
                    }
                }
            }

            /// <summary>Text helpers: case conversion, escaping, wrapping.</summary>
            public static class Text{{n}}
            {
                public static string ToSnakeCase(string value)
                {
                    ArgumentNullException.ThrowIfNull(value);
                    var builder = new StringBuilder(value.Length + 8);
                    for (var k = 0; k < value.Length; k++)
                    {
                        var c = value[k];
                        if (char.IsUpper(c))
                        {
                            if (k > 0)
                            {
                                builder.Append('_');
                            }

                            builder.Append(char.ToLowerInvariant(c));
                        }
                        else
                        {
                            builder.Append(c);
                        }
                    }

                    return builder.ToString();
                }

                public static string Escape(string value)
                {
                    var builder = new StringBuilder();
                    foreach (var c in value)
                    {
                        switch (c)
                        {
                            case '"': builder.Append("\\\""); break;
                            case '\\': builder.Append("\\\\"); break;
                            case '\n': builder.Append("\\n"); break;
                            case '\t': builder.Append("\\t"); break;
                            default:
                                if (c < ' ')
                                {
                                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                                }
                                else
                                {
                                    builder.Append(c);
                                }

                                break;
                        }
                    }

                    return builder.ToString();
                }

                public static IReadOnlyList<string> Wrap(string value, int width)
                {
                    if (width < 1)
                    {
                        throw new ArgumentOutOfRangeException(nameof(width), width, "Width must be at least 1, got " + width + ".");
                    }

                    var lines = new List<string>();
                    var line = new StringBuilder();
                    foreach (var word in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (line.Length > 0 && line.Length + 1 + word.Length > width)
                        {
                            lines.Add(line.ToString());
                            line.Clear();
                        }

                        if (line.Length > 0)
                        {
                            line.Append(' ');
                        }

                        line.Append(word);
                    }

                    if (line.Length > 0)
                    {
                        lines.Add(line.ToString());
                    }

                    return lines;
                }
            }

            /// <summary>Reads key=value settings from text, with typed errors.</summary>
            public sealed class SettingsReader{{n}}
            {
                private readonly Dictionary<string, string> values = new(StringComparer.OrdinalIgnoreCase);

                public int Count => values.Count;

                public void Load(TextReader reader)
                {
                    string? line;
                    var number = 0;
                    while ((line = reader.ReadLine()) is not null)
                    {
                        number++;
                        var trimmed = line.Trim();
                        if (trimmed.Length == 0 || trimmed[0] == '#')
                        {
                            continue;
                        }

                        var equals = trimmed.IndexOf('=');
                        if (equals <= 0)
                        {
                            throw new InvalidDataException(string.Format(CultureInfo.InvariantCulture, "Line {0}: expected key=value.", number));
                        }

                        values[trimmed.Substring(0, equals).Trim()] = trimmed.Substring(equals + 1).Trim();
                    }
                }

                public int GetInt32(string key, int fallback)
                {
                    if (!values.TryGetValue(key, out var text))
                    {
                        return fallback;
                    }

                    try
                    {
                        return int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
                    }
                    catch (FormatException error)
                    {
                        throw new InvalidDataException($"Setting '{key}' is not a number.", error);
                    }
                    catch (OverflowException error)
                    {
                        throw new InvalidDataException($"Setting '{key}' is out of range.", error);
                    }
                }

                public bool TryGet(string key, out string value)
                {
                    if (values.TryGetValue(key, out var found))
                    {
                        value = found;
                        return true;
                    }

                    value = string.Empty;
                    return false;
                }
            }

            """);

        // A few more members per file, varied by index so files differ.
        text.AppendLine(CultureInfo.InvariantCulture, $"public static class Statistics{n}");
        text.AppendLine("{");
        for (var m = 0; m < 6; m++)
        {
            text.Append(CultureInfo.InvariantCulture, $$"""
                    public static double Mean{{m}}(IReadOnlyList<double> values)
                    {
                        if (values.Count == 0)
                        {
                            throw new ArgumentException("At least one value is required.", nameof(values));
                        }

                        var sum = 0.0;
                        for (var k = 0; k < values.Count; k++)
                        {
                            sum += values[k] * {{(m + i % 7) + 1}};
                        }

                        return sum / values.Count;
                    }

                    public static double Percentile{{m}}(double[] values, double p)
                    {
                        if (p < 0 || p > 1)
                        {
                            throw new ArgumentOutOfRangeException(nameof(p), p, null);
                        }

                        var sorted = (double[])values.Clone();
                        Array.Sort(sorted);
                        var rank = p * (sorted.Length - 1);
                        var low = (int)Math.Floor(rank);
                        var high = Math.Min(low + 1, sorted.Length - 1);
                        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
                    }


                """);
        }

        text.AppendLine("}");
        return text.ToString();
    }
}
