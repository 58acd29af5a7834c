using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpSecurity.Analyzers.Shared;

/// <summary>
/// The one model of "secret-named" that every rule shares (MCPSEC101/102 here; 504 and 607 later):
/// an identifier, configuration key or environment variable name is split into words (camelCase,
/// PascalCase, snake_case, kebab-case, SCREAMING_CASE, digits, acronyms such as "APIKey") and is
/// secret-named when it contains a secret word as a whole word ("Tokenizer" is not a token) and
/// does not end in a descriptor word ("PasswordFieldName", "TokenType" describe a secret, they do
/// not hold one: the false positives users of peer tools complain about most).
/// </summary>
internal static class SecretNames
{
    public const string DefaultSecretWords =
        "secret,password,passwd,pwd,passphrase,token,credential,api key,private key,client secret,secret key,"
        + "signing key,encryption key,access key,access token,auth token,refresh token,"
        + "key&jwt,key&signing,key&api,key&private,key&encryption,key&hmac,key&access";

    public const string DefaultDescriptorWords =
        "name,field,label,question,format,policy,length,regex,pattern,type,kind,id,url,uri,endpoint,path,file,"
        + "header,prefix,suffix,hint,env var,variable,var,count,limit,size,expiry,expiration,lifetime,timeout,ttl,"
        + "scheme,issuer,audience,algorithm,version,section,setting,option,config,provider,store,vault,manager,"
        + "service,mode,level,source,message,description,title,placeholder,prompt,error,caption,tooltip,mask,"
        + "char,location,region,column,property,parameter,claim,validator,generator,handler,word,scope,authority,public key,public key token";

    /// <summary>Whether <paramref name="identifier"/> names a secret under <paramref name="options"/>.</summary>
    public static SecretNameMatch IsSecretName(string? identifier, SecretNameOptions options)
    {
        if (string.IsNullOrEmpty(identifier))
        {
            return default;
        }

        var words = SplitWords(identifier!);
        if (words.Length == 0)
        {
            return default;
        }

        string? matched = null;
        foreach (var entry in options.SecretEntries)
        {
            if (entry.Match(words) is { } found)
            {
                matched = found;
                break;
            }
        }

        if (matched is null)
        {
            return default;
        }

        if (matched == "token" && NonCredentialTokenQualifier(words) is { } qualifier)
        {
            return new SecretNameMatch(false, matched, qualifier + " token");
        }

        foreach (var descriptor in options.DescriptorEntries)
        {
            if (descriptor.MatchesEnd(words))
            {
                return new SecretNameMatch(false, matched, descriptor.Text);
            }
        }

        return new SecretNameMatch(true, matched, null);
    }

    /// <summary>
    /// Words that make a "token" a position or a handle rather than a credential: an MCP
    /// <c>progressToken</c>, a paging <c>ContinuationToken</c>, a <c>CancellationToken</c>, a
    /// parser's <c>SyntaxToken</c>. On public MCP servers their test values ("tok-1") were the most
    /// frequent wrong MCPSEC101 finding.
    /// </summary>
    private static readonly HashSet<string> NonCredentialTokenWords = new(StringComparer.Ordinal)
    {
        "progress", "continuation", "cancellation", "page", "paging", "pagination", "cursor", "syntax", "lexer", "lexical", "parser",
    };

    /// <summary>The qualifier when every "token" in <paramref name="words"/> follows one of <see cref="NonCredentialTokenWords"/>.</summary>
    private static string? NonCredentialTokenQualifier(ImmutableArray<string> words)
    {
        string? qualifier = null;
        for (var i = 0; i < words.Length; i++)
        {
            if (!WordEquals(words[i], "token"))
            {
                continue;
            }

            if (i == 0 || !NonCredentialTokenWords.Contains(words[i - 1]))
            {
                return null;
            }

            qualifier = words[i - 1];
        }

        return qualifier;
    }

    /// <summary>
    /// Verbs that make a method an action on a secret rather than its getter: <c>SetPassword</c>,
    /// <c>ValidateToken</c>, <c>DotnetSecretsRemove</c> and <c>IsTokenExpired</c> return a status or a
    /// message, not the secret; <c>GetApiKey</c>, <c>LoadToken</c> and <c>CreateToken</c> return it.
    /// </summary>
    private static readonly HashSet<string> ActionVerbs = new(StringComparer.Ordinal)
    {
        "set", "reset", "change", "update", "validate", "verify", "check", "revoke", "rotate", "delete", "remove",
        "clear", "store", "save", "write", "send", "print", "log", "show", "display", "redact", "list", "count",
        "is", "has", "can", "should", "try", "ensure", "handle", "describe", "explain", "compare", "test", "exists",
        "expire", "invalidate", "unset",
    };

    /// <summary>Whether a method's name says it acts on a secret (sets, checks, lists) rather than returning it.</summary>
    public static bool IsActionName(string methodName)
        => SplitWords(methodName).Any(word => ActionVerbs.Contains(word) || (word.Length > 1 && word[word.Length - 1] == 's' && ActionVerbs.Contains(word.Substring(0, word.Length - 1))));

    /// <summary>
    /// The lower-case words of an identifier or key: "APIKey" → api, key; "JWT_SECRET_KEY" → jwt,
    /// secret, key; "Jwt:SigningKey" → jwt, signing, key; "password1" → password, 1.
    /// </summary>
    public static ImmutableArray<string> SplitWords(string identifier)
        => Split(identifier, separateDigits: true);

    /// <summary>
    /// The environment variable name for a member: SecretKey → SECRET_KEY, jwtSigningKey →
    /// JWT_SIGNING_KEY, Jwt:Key → JWT_KEY; digits stay with the word before them (Oauth2Token →
    /// OAUTH2_TOKEN) and an m_/s_ field prefix is dropped.
    /// </summary>
    public static string ToScreamingSnake(string identifier)
    {
        if (identifier.Length > 2 && identifier[1] == '_' && identifier[0] is 'm' or 's')
        {
            identifier = identifier.Substring(2);
        }

        var words = Split(identifier, separateDigits: false);
        return string.Join("_", words.Select(w => w.ToUpperInvariant()));
    }

    private static ImmutableArray<string> Split(string identifier, bool separateDigits)
    {
        var words = ImmutableArray.CreateBuilder<string>();
        var current = new StringBuilder();
        for (var i = 0; i < identifier.Length; i++)
        {
            var c = identifier[i];
            if (!char.IsLetterOrDigit(c))
            {
                Flush(words, current);
                continue;
            }

            if (current.Length > 0)
            {
                var previous = identifier[i - 1];
                var next = i + 1 < identifier.Length ? identifier[i + 1] : '\0';
                var boundary =
                    (char.IsLower(previous) && char.IsUpper(c))
                    || (char.IsUpper(previous) && char.IsUpper(c) && char.IsLower(next))
                    || (separateDigits && char.IsLetter(previous) && char.IsDigit(c))
                    || (char.IsDigit(previous) && char.IsLetter(c) && (separateDigits || char.IsUpper(c)));
                if (boundary)
                {
                    Flush(words, current);
                }
            }

            current.Append(c);
        }

        Flush(words, current);
        return words.ToImmutable();
    }

    private static void Flush(ImmutableArray<string>.Builder words, StringBuilder current)
    {
        if (current.Length > 0)
        {
            words.Add(current.ToString().ToLowerInvariant());
            current.Clear();
        }
    }

    internal static bool WordEquals(string word, string expected)
        => word == expected
            || (word.Length == expected.Length + 1 && word[word.Length - 1] == 's' && word.StartsWith(expected, StringComparison.Ordinal));
}

/// <summary>The answer of <see cref="SecretNames.IsSecretName"/>: whether, and why.</summary>
internal readonly struct SecretNameMatch
{
    public SecretNameMatch(bool isSecret, string? matchedWords, string? descriptorWord)
    {
        IsSecret = isSecret;
        MatchedWords = matchedWords;
        DescriptorWord = descriptorWord;
    }

    /// <summary>Secret-named: a secret word matched and no descriptor word ends the name.</summary>
    public bool IsSecret { get; }

    /// <summary>The secret entry that matched, as configured ("password", "api key", "key&amp;jwt").</summary>
    public string? MatchedWords { get; }

    /// <summary>The descriptor word that ends the name and makes it not secret ("name" in PasswordFieldName).</summary>
    public string? DescriptorWord { get; }

    public string Reason => IsSecret
        ? "contains '" + MatchedWords + "'"
        : MatchedWords is null ? "contains no secret word" : "ends in the descriptor word '" + DescriptorWord + "'";
}

/// <summary>
/// The two word lists of <see cref="SecretNames"/>, parsed once per distinct configuration: the
/// options <see cref="RuleCatalog.SecretWords"/> and <see cref="RuleCatalog.SecretDescriptorWords"/>.
/// </summary>
internal sealed class SecretNameOptions
{
    private static readonly ConcurrentDictionary<string, SecretNameOptions> Parsed = new(StringComparer.Ordinal);

    private SecretNameOptions(ImmutableArray<SecretWordEntry> secretEntries, ImmutableArray<SecretWordEntry> descriptorEntries)
    {
        SecretEntries = secretEntries;
        DescriptorEntries = descriptorEntries;
    }

    public static SecretNameOptions Default { get; } = Create(
        SecretNames.DefaultSecretWords.Split(','), SecretNames.DefaultDescriptorWords.Split(','));

    public ImmutableArray<SecretWordEntry> SecretEntries { get; }

    public ImmutableArray<SecretWordEntry> DescriptorEntries { get; }

    public static SecretNameOptions Create(IEnumerable<string> secretWords, IEnumerable<string> descriptorWords)
    {
        var secrets = secretWords.Select(SecretWordEntry.Parse).Where(e => e is not null).Select(e => e!).ToImmutableArray();
        var descriptors = descriptorWords.Select(SecretWordEntry.Parse).Where(e => e is not null).Select(e => e!).ToImmutableArray();
        return new SecretNameOptions(secrets, descriptors);
    }

    /// <summary>The lists in force for <paramref name="tree"/> (per-file settings win over global ones).</summary>
    public static SecretNameOptions Read(AnalyzerConfigOptionsProvider provider, SyntaxTree? tree)
    {
        var secrets = RuleOptionReader.GetList(provider, tree, RuleCatalog.SecretWords);
        var descriptors = RuleOptionReader.GetList(provider, tree, RuleCatalog.SecretDescriptorWords);
        var key = string.Join(",", secrets) + "|" + string.Join(",", descriptors);
        return Parsed.GetOrAdd(key, _ => Create(secrets, descriptors));
    }
}

/// <summary>
/// One configured entry: groups joined by '&amp;' that must all occur; each group is one word or a
/// sequence of adjacent words, which also matches the words written together ("api key" ~ "apikey").
/// </summary>
internal sealed class SecretWordEntry
{
    private readonly ImmutableArray<ImmutableArray<string>> groups;

    private SecretWordEntry(string text, ImmutableArray<ImmutableArray<string>> groups)
    {
        Text = text;
        this.groups = groups;
    }

    public string Text { get; }

    public static SecretWordEntry? Parse(string raw)
    {
        var groups = ImmutableArray.CreateBuilder<ImmutableArray<string>>();
        foreach (var part in raw.Split('&'))
        {
            var words = part.Split(new[] { ' ', '\t', '_', '-' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(w => w.ToLowerInvariant())
                .ToImmutableArray();
            if (words.Length > 0)
            {
                groups.Add(words);
            }
        }

        if (groups.Count == 0)
        {
            return null;
        }

        var text = string.Join(" & ", groups.Select(g => string.Join(" ", g)));
        return new SecretWordEntry(text, groups.ToImmutable());
    }

    /// <summary>The entry's text when every group occurs in <paramref name="words"/>; otherwise null.</summary>
    public string? Match(ImmutableArray<string> words)
    {
        foreach (var group in groups)
        {
            if (!Contains(words, group))
            {
                return null;
            }
        }

        return Text;
    }

    /// <summary>Whether <paramref name="words"/> ends with this entry (its last group).</summary>
    public bool MatchesEnd(ImmutableArray<string> words)
    {
        var group = groups[groups.Length - 1];
        if (words.Length >= group.Length && EqualsAt(words, words.Length - group.Length, group))
        {
            return true;
        }

        return group.Length > 1 && words.Length > 1 && SecretNames.WordEquals(words[words.Length - 1], string.Concat(group));
    }

    private static bool Contains(ImmutableArray<string> words, ImmutableArray<string> group)
    {
        for (var start = 0; start + group.Length <= words.Length; start++)
        {
            if (EqualsAt(words, start, group))
            {
                return true;
            }
        }

        if (group.Length > 1)
        {
            var joined = string.Concat(group);
            return words.Any(w => SecretNames.WordEquals(w, joined));
        }

        return false;
    }

    private static bool EqualsAt(ImmutableArray<string> words, int start, ImmutableArray<string> group)
    {
        for (var i = 0; i < group.Length; i++)
        {
            if (!SecretNames.WordEquals(words[start + i], group[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Text;
}
