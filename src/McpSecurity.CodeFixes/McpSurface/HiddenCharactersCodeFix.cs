using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.Analyzers.McpSurface;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpSecurity.CodeFixes.McpSurface;

/// <summary>
/// MCPSEC606: removes the invisible and bidirectional characters from the string literals of the
/// reported text — written as themselves or as escapes (<c>\u200B</c>, <c>\U000E0041</c>, <c>\x200B</c>) —
/// and leaves every other character and escape as it was. The characters carry nothing a reader
/// sees, so the visible description is unchanged. Injection phrases are not rewritten: what to say
/// instead is the author's call. Text held in a constant declared elsewhere is fixed where it is declared.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HiddenCharactersCodeFix))]
public sealed class HiddenCharactersCodeFix : McpSecurityCodeFix
{
    public const string EquivalenceKey = RuleIdentifiers.HiddenInstructionsInToolMetadata + ".RemoveHiddenCharacters";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.HiddenInstructionsInToolMetadata);

    protected override Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
        => Task.FromResult(CleanedTokens(target).Count > 0 ? Offer("Remove the invisible characters", EquivalenceKey) : None);

    protected override async Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var cleaned = CleanedTokens(target);
        if (cleaned.Count == 0)
        {
            return null;
        }

        var fixedTarget = target.ReplaceTokens(cleaned.Keys, (original, _) => cleaned[original]);
        return await ReplaceAsync(document, target, fixedTarget, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Each string literal under <paramref name="target"/> that holds a hidden character, and its replacement without them.</summary>
    private static Dictionary<SyntaxToken, SyntaxToken> CleanedTokens(SyntaxNode target)
    {
        var result = new Dictionary<SyntaxToken, SyntaxToken>();

        // Only the reported text itself: a finding from XML documentation is reported on the method
        // or parameter, whose body may hold strings that are none of the fix's business.
        if (target is not ExpressionSyntax)
        {
            return result;
        }
        foreach (var token in target.DescendantTokens())
        {
            if (!(token.IsKind(SyntaxKind.StringLiteralToken) || token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken) || token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken))
                || !HiddenInstructionText.HasHiddenCharacter(token.ValueText))
            {
                continue;
            }

            var text = token.IsKind(SyntaxKind.StringLiteralToken) && token.Text.StartsWith("\"", System.StringComparison.Ordinal)
                ? WithoutHiddenEscapes(token.Text)
                : HiddenInstructionText.RemoveHiddenCharacters(token.Text);
            var replacement = SyntaxFactory.ParseToken(text);
            if (replacement.IsKind(token.Kind()) && replacement.ValueText == HiddenInstructionText.RemoveHiddenCharacters(token.ValueText))
            {
                result[token] = replacement.WithTriviaFrom(token);
            }
        }

        return result;
    }

    /// <summary>
    /// A regular string literal's text without the hidden characters, whether written as themselves
    /// or as escapes; every other character and escape is kept as written.
    /// </summary>
    private static string WithoutHiddenEscapes(string literal)
    {
        // Decode the literal into pieces of source text and the UTF-16 units each stands for.
        var pieces = new List<(int Start, int Length, string Units)>();
        for (var i = 1; i < literal.Length - 1;)
        {
            var length = EscapeLength(literal, i);
            pieces.Add((i, length, Decode(literal.Substring(i, length))));
            i += length;
        }

        var units = new StringBuilder();
        var owner = new List<int>();
        for (var p = 0; p < pieces.Count; p++)
        {
            foreach (var unit in pieces[p].Units)
            {
                units.Append(unit);
                owner.Add(p);
            }
        }

        var value = units.ToString();
        var dropped = new HashSet<int>();
        for (var i = 0; i < value.Length; i++)
        {
            var hidden = HiddenInstructionText.HiddenLength(value, i);
            for (var k = 0; k < hidden; k++)
            {
                dropped.Add(owner[i + k]);
            }

            i += hidden > 0 ? hidden - 1 : 0;
        }

        var result = new StringBuilder(literal.Length);
        result.Append(literal[0]);
        for (var p = 0; p < pieces.Count; p++)
        {
            if (!dropped.Contains(p))
            {
                result.Append(literal, pieces[p].Start, pieces[p].Length);
            }
        }

        result.Append(literal[literal.Length - 1]);
        return result.ToString();
    }

    private static int EscapeLength(string literal, int index)
    {
        if (literal[index] != '\\' || index + 1 >= literal.Length - 1)
        {
            return 1;
        }

        return literal[index + 1] switch
        {
            'u' => 6,
            'U' => 10,
            'x' => 2 + HexDigits(literal, index + 2, 4),
            _ => 2,
        };
    }

    private static int HexDigits(string literal, int start, int max)
    {
        var count = 0;
        while (count < max && start + count < literal.Length - 1 && System.Uri.IsHexDigit(literal[start + count]))
        {
            count++;
        }

        return count;
    }

    private static string Decode(string piece)
    {
        if (piece.Length < 3 || piece[0] != '\\')
        {
            return piece.Length == 2 && piece[0] == '\\' ? "\0" : piece;
        }

        var hex = piece.Substring(2);
        if (!int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var codePoint))
        {
            return piece;
        }

        return codePoint > 0xFFFF && codePoint <= 0x10FFFF ? char.ConvertFromUtf32(codePoint) : ((char)codePoint).ToString();
    }
}
