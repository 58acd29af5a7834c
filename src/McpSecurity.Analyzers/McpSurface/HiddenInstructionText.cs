using System;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// What makes text that a model reads as a tool's, parameter's, prompt's or resource's metadata a
/// tool-poisoning attempt (MCPSEC606): characters a person reviewing the server does not see, and
/// phrases that tell the model to hide something from the user or to fetch secrets. A model reads
/// every description of every tool it is offered, so one poisoned description steers calls to all
/// of them (Invariant Labs' tool-poisoning and ASCII-smuggling reports).
/// </summary>
internal static class HiddenInstructionText
{
    // Phrases are matched on text with runs of whitespace collapsed, case-insensitively. Each names
    // an instruction that only makes sense when the author wants the model to act behind the
    // user's back, or to reach for credentials; usage guidance ("Do not use for X", "IMPORTANT: the
    // path must be absolute", "Before calling this tool, call list_projects") must not match.
    private static readonly Regex InjectionPhrase = new(
        @"\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:the\s+|your\s+)?(?:previous|prior|above|earlier|preceding|other)\s+(?:instructions?|directions|rules|prompts?|guidelines)\b"
        + @"|\b(?:do\s+not|don't|dont|never|must\s+not|should\s+not)\s+(?:tell|inform|notify|alert|warn)\s+(?:the\s+)?user\b"
        + @"|\b(?:do\s+not|don't|dont|never)\s+(?:mention|reveal|disclose)\s+(?:this|that|these|it)\b(?:\s+\w+){0,4}\s+to\s+(?:the\s+)?user\b"
        + @"|\b(?:do\s+not|don't|dont|never)\s+(?:mention|reveal|disclose)\s+that\s+you\b"
        + @"|\bwithout\s+(?:telling|informing|notifying|alerting)\s+(?:the\s+)?user\b"
        + @"|\b(?:hide|conceal|keep)\s+(?:this|it|that)\s+(?:secret\s+)?from\s+(?:the\s+)?user\b"
        + @"|</?\s*(?:important|system|instructions?|hidden|secret)\s*>"
        + @"|\bread\s+(?:the\s+(?:file|contents?\s+of)\b|`?[~/.][^\s`]*`?)(?:[^.]|\.(?=\w)){0,80}?\band\s+(?:pass|send|include|put|append|add|provide)\s+(?:it|its|them|their|the)\b(?:[^.]|\.(?=\w)){0,40}?\b(?:as|in|into)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    // Files a tool never needs to mention to a model unless it wants their contents: SSH keys,
    // cloud credentials, the dotenv file that holds the server's own secrets.
    private static readonly Regex SecretFileReference = new(
        @"~/\.ssh\b|(?:^|[\s/\\`'""(])\.ssh[/\\]|\bid_(?:rsa|dsa|ecdsa|ed25519)\b|\.aws[/\\]credentials\b|/etc/shadow\b|(?:^|[\s/\\`'""(~])\.env(?=$|[\s`'"".,;:)])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>The first hidden character or injection phrase in <paramref name="text"/>, described for a message; null when it is clean.</summary>
    public static string? FindEvidence(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        for (var i = 0; i < text!.Length; i++)
        {
            if (HiddenLength(text, i) is var length and > 0)
            {
                var codePoint = length == 2 ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i];
                return "the invisible character " + Escape(codePoint) + " (" + CharacterName(codePoint) + ")";
            }
        }

        var collapsed = CollapseWhitespace(text);
        var phrase = InjectionPhrase.Match(collapsed);
        if (phrase.Success)
        {
            return "the phrase '" + Shorten(phrase.Value) + "'";
        }

        var secret = SecretFileReference.Match(collapsed);
        return secret.Success ? "a reference to '" + secret.Value.Trim(' ', '/', '\\', '`', '\'', '"', '(') + "'" : null;
    }

    /// <summary>Whether <paramref name="text"/> holds a character <see cref="FindEvidence"/> reports as hidden.</summary>
    public static bool HasHiddenCharacter(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (HiddenLength(text, i) > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><paramref name="text"/> without the characters <see cref="FindEvidence"/> reports as hidden.</summary>
    public static string RemoveHiddenCharacters(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var length = HiddenLength(text, i);
            if (length > 0)
            {
                i += length - 1;
                continue;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }

    /// <summary>
    /// The number of UTF-16 units (1 or 2) of the hidden character that starts at <paramref name="index"/>,
    /// 0 when the character there is visible or legitimate.
    /// </summary>
    public static int HiddenLength(string text, int index)
    {
        var c = text[index];
        switch (c)
        {
            // Zero-width joiner and non-joiner shape emoji sequences and scripts that join letters
            // (Persian, Arabic, the Indic scripts); between two such characters they are writing,
            // not hiding.
            case '\u200C' or '\u200D':
                return IsJoinedWriting(text, index) ? 0 : 1;

            // Zero-width space, LRM/RLM, the embedding and override controls (Trojan Source), word
            // joiner and invisible operators, the isolates, the Arabic letter mark, and U+FEFF, which
            // inside text is a zero-width no-break space.
            case '\u200B' or '\u200E' or '\u200F':
            case >= '\u202A' and <= '\u202E':
            case >= '\u2060' and <= '\u2064':
            case >= '\u2066' and <= '\u2069':
            case '\u061C' or '\uFEFF':
                return 1;

            // Tag characters U+E0000–U+E007F (U+DB40 U+DC00–U+DC7F): invisible copies of ASCII, the
            // "ASCII smuggling" carrier that models read and people do not.
            case '\uDB40' when index + 1 < text.Length && text[index + 1] is >= '\uDC00' and <= '\uDC7F':
                return 2;

            default:
                return 0;
        }
    }

    private static bool IsJoinedWriting(string text, int index)
        => index > 0 && index + 1 < text.Length && IsJoiningCharacter(text, index - 1, before: true) && IsJoiningCharacter(text, index + 1, before: false);

    private static bool IsJoiningCharacter(string text, int index, bool before)
    {
        var c = text[index];

        // An emoji, written as a surrogate pair (U+1F000 and up), a presentation selector or one of
        // the BMP pictographs (U+2600–U+27BF: ♀ ♂ ⚕ ❤ …).
        if (char.IsSurrogate(c) || c == '\uFE0F' || c is >= '\u2600' and <= '\u27BF')
        {
            return !IsTagSurrogate(text, index, before);
        }

        // Letters and marks of scripts that shape with joiners: Arabic, Syriac, Thaana, NKo and their
        // supplements and presentation forms, the Indic and South-East Asian scripts.
        if (c is (>= '\u0600' and <= '\u08FF') or (>= '\u0900' and <= '\u0DFF') or (>= '\u0F00' and <= '\u0FFF') or (>= '\uFB50' and <= '\uFDFF') or (>= '\uFE70' and <= '\uFEFE'))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            return category is UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.ModifierLetter;
        }

        return false;
    }

    private static bool IsTagSurrogate(string text, int index, bool before)
        => before
            ? index > 0 && text[index - 1] == '\uDB40' && text[index] is >= '\uDC00' and <= '\uDC7F'
            : text[index] == '\uDB40';

    /// <summary><c>U+200B</c>: how a message names a character without printing it.</summary>
    public static string Escape(int codePoint) => "U+" + codePoint.ToString(codePoint > 0xFFFF ? "X5" : "X4", CultureInfo.InvariantCulture);

    private static string CharacterName(int codePoint) => codePoint switch
    {
        0x200B => "zero width space",
        0x200C => "zero width non-joiner",
        0x200D => "zero width joiner",
        0x200E => "left-to-right mark",
        0x200F => "right-to-left mark",
        0x202A => "left-to-right embedding",
        0x202B => "right-to-left embedding",
        0x202C => "pop directional formatting",
        0x202D => "left-to-right override",
        0x202E => "right-to-left override",
        0x2060 => "word joiner",
        0x2061 or 0x2062 or 0x2063 or 0x2064 => "invisible operator",
        0x2066 => "left-to-right isolate",
        0x2067 => "right-to-left isolate",
        0x2068 => "first strong isolate",
        0x2069 => "pop directional isolate",
        0x061C => "Arabic letter mark",
        0xFEFF => "zero width no-break space",
        >= 0xE0000 and <= 0xE007F => "tag character",
        _ => "invisible character",
    };

    private static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var inSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!inSpace)
                {
                    builder.Append(' ');
                }

                inSpace = true;
                continue;
            }

            inSpace = false;
            builder.Append(c);
        }

        return builder.ToString();
    }

    private static string Shorten(string phrase)
    {
        const int MaxLength = 80;
        return phrase.Length <= MaxLength ? phrase : phrase.Substring(0, MaxLength - 1) + "…";
    }
}
