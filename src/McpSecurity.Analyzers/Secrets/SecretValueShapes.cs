using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using McpSecurity.Analyzers.Shared;

namespace McpSecurity.Analyzers.Secrets;

/// <summary>
/// What a literal's text looks like: a name for the secret rather than the secret itself
/// ("SECRET_KEY", "Jwt:Key", "access_token"), a credential by its format (ghp_…, AKIA…, PEM), or a
/// connection string or URI that carries a password.
/// </summary>
internal static class SecretValueShapes
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Words that mark a value as a made-up default rather than a name: "dev_secret_key" and
    /// "your-api-key" are placeholders (reported: a known default is the worst secret), while
    /// "access_token" and "X-Api-Key" name the secret.
    /// </summary>
    private static readonly HashSet<string> PlaceholderWords = new(StringComparer.Ordinal)
    {
        "your", "my", "our", "change", "changeme", "replace", "dev", "development", "default", "example",
        "sample", "demo", "test", "testing", "dummy", "fake", "insecure", "local", "placeholder", "here",
        "prod", "production", "not", "for", "do", "super", "temp", "todo", "xxx", "foo", "bar", "me", "in",
        "to", "this", "fallback", "mock", "hardcoded", "only", "staging", "unsafe", "very", "top", "strong",
        "weak", "admin", "root", "guest", "secure", "random", "some", "the", "a",
    };

    private static readonly HashSet<string> SecretValueSlotWords = new(StringComparer.Ordinal)
    {
        "secret", "secrets", "password", "passwords", "passwd", "pwd", "passphrase",
    };

    // Names: SCREAMING_SNAKE env vars, config paths (Jwt:Key), header or kebab names (X-Api-Key),
    // snake and dotted keys (client_secret, app.secret), camelCase JSON names (accessToken).
    private static readonly Regex NameShape = new(
        @"^(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+"
        + @"|[A-Za-z][A-Za-z0-9_.\-]*(?::[A-Za-z][A-Za-z0-9_.\-]*)+"
        + @"|[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z][A-Za-z0-9]*)+"
        + @"|[a-z][a-z0-9]*(?:[_.][a-z][a-z0-9]*)+"
        + @"|[a-z]+(?:[A-Z][a-z]+)+)$",
        RegexOptions.CultureInvariant,
        Timeout);

    private static readonly (Regex Pattern, string Description)[] TokenFormats =
    {
        (new Regex(@"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b", RegexOptions.CultureInvariant, Timeout), "a GitHub token (ghp_…)"),
        (new Regex(@"\bgithub_pat_[A-Za-z0-9_]{22,}", RegexOptions.CultureInvariant, Timeout), "a GitHub fine-grained token (github_pat_…)"),
        (new Regex(@"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", RegexOptions.CultureInvariant, Timeout), "an AWS access key (AKIA…)"),
        (new Regex(@"\bxox[abpr]-[0-9A-Za-z]{6,}-[0-9A-Za-z-]{6,}", RegexOptions.CultureInvariant, Timeout), "a Slack token (xox…-)"),
        (new Regex(@"\b[sr]k_live_[0-9A-Za-z]{20,}", RegexOptions.CultureInvariant, Timeout), "a Stripe live key (sk_live_…)"),
        (new Regex(@"\bAIza[0-9A-Za-z_\-]{35}", RegexOptions.CultureInvariant, Timeout), "a Google API key (AIza…)"),
        (new Regex(@"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----", RegexOptions.CultureInvariant, Timeout), "a PEM private key"),
        (new Regex(@"\beyJ[A-Za-z0-9_\-]{5,}\.eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]*", RegexOptions.CultureInvariant, Timeout), "a JSON Web Token (eyJ….eyJ…)"),
    };

    // OpenAI/Anthropic style keys: 'sk-' and a long random tail; the tail must look random (digits and
    // both cases) so that kebab-case names starting with "sk-" are not taken for keys.
    private static readonly Regex SkKey = new(@"\bsk-(?:proj-|ant-[a-z0-9]+-)?([A-Za-z0-9_\-]{20,})", RegexOptions.CultureInvariant, Timeout);

    private static readonly Regex UriWithPassword = new(
        @"\b[a-zA-Z][a-zA-Z0-9+.\-]*://(?<user>[^/\s:@]+):(?<password>[^/\s@]+)@",
        RegexOptions.CultureInvariant,
        Timeout);

    public static bool IsBlank(string? value) => string.IsNullOrWhiteSpace(value);

    /// <summary>
    /// The literal names the secret instead of being it: equal to the identifier ignoring case and
    /// separators (SecretKey = "SECRET_KEY", GrantTypes.Password = "password"), or a multi-word,
    /// name-shaped value ending in the identifier's last word or its secret word ("access_token",
    /// "X-Api-Key", "Jwt:SigningKey") with no placeholder word ("dev", "your", "change") and no
    /// trailing number ("password_123").
    /// </summary>
    public static bool NamesTheSecret(string value, string? identifier, SecretNameOptions options)
    {
        if (identifier is null)
        {
            return false;
        }

        var normalized = Normalize(value);
        if (normalized.Length > 0 && normalized == Normalize(identifier))
        {
            return true;
        }

        if (!Matches(NameShape, value))
        {
            return false;
        }

        var words = SecretNames.SplitWords(value);
        if (words.Length < 2 || words.Any(PlaceholderWords.Contains) || words[words.Length - 1].All(char.IsDigit))
        {
            return false;
        }

        var last = words[words.Length - 1];
        var identifierWords = SecretNames.SplitWords(identifier);

        // Passwords and client secrets are values, never keys of a protocol: a lower-case dashed
        // literal ending in "secret" ("enterprise-idp-secret") is the test server's real client
        // secret, while OAuth parameter names are snake_case ("client_secret") and headers are
        // capitalised ("X-Api-Key").
        if (identifierWords.Length > 0 && SecretValueSlotWords.Contains(identifierWords[identifierWords.Length - 1])
            && value.IndexOf('-') >= 0 && !value.Any(char.IsUpper))
        {
            return false;
        }

        if (identifierWords.Length > 0 && SecretNames.WordEquals(last, identifierWords[identifierWords.Length - 1]))
        {
            return true;
        }

        var matched = SecretNames.IsSecretName(identifier, options).MatchedWords;
        return matched is not null
            && matched.Split(new[] { ' ', '&' }, StringSplitOptions.RemoveEmptyEntries).Any(word => SecretNames.WordEquals(last, word));
    }

    /// <summary>
    /// Text that cannot be a credential whatever the name of its target: prose (an option's help
    /// text, an error message), a well-known algorithm, authentication-method, credential-type or
    /// switch name ("RS256", "client_secret_post", "Bearer", "Enabled"), or a value made of the
    /// target's own words ("SecretHint" for <c>SecretHintMetaKey</c>). On nine public MCP servers
    /// these were most of the wrong findings of the name-based rules.
    /// </summary>
    public static bool IsNotACredential(string value, string? identifier)
        => IsProse(value) || IsWellKnownName(value) || (identifier is not null && IsMadeOfIdentifierWords(value, identifier))
            || IsConnectionStringWithoutCredential(value);

    /// <summary>
    /// A connection string that authenticates some other way (<c>Trusted_Connection=True</c>, a
    /// managed identity) or whose password is a placeholder: a <c>secretConnectionString</c> holding
    /// "Server=tcp:127.0.0.1,1433;Trusted_Connection=True;" carries nothing secret.
    /// </summary>
    private static bool IsConnectionStringWithoutCredential(string value)
    {
        var pairs = 0;
        foreach (var segment in value.Split(';'))
        {
            var equals = segment.IndexOf('=');
            if (equals <= 0)
            {
                if (segment.Trim().Length > 0)
                {
                    return false;
                }

                continue;
            }

            pairs++;
            var keyWords = SecretNames.SplitWords(segment.Substring(0, equals));
            var pairValue = segment.Substring(equals + 1).Trim().Trim('"', '\'');
            if (keyWords.Any(word => word is "password" or "pwd" or "key" or "secret" or "token" or "signature" or "sig" or "credential" or "credentials")
                && !IsPasswordPlaceholder(pairValue))
            {
                return false;
            }
        }

        return pairs >= 2;
    }

    /// <summary>
    /// Several words separated by spaces that read as a sentence: "The name of the secret.",
    /// "Missing credentials: set X", "Controls password hashing algorithm." Three words of letters
    /// and a sentence mark, or six words without one; a passphrase ("correct horse battery staple")
    /// has neither and stays a secret.
    /// </summary>
    public static bool IsProse(string value)
    {
        var tokens = value.Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries);
        var words = tokens.Count(token => token.Trim(SentencePunctuation).Length >= 2 && token.Trim(SentencePunctuation).All(char.IsLetter));
        if (words < 3 || words * 2 < tokens.Length)
        {
            return false;
        }

        var trimmed = value.TrimEnd();
        var hasSentenceMark = trimmed.EndsWith(".", StringComparison.Ordinal) || trimmed.EndsWith("!", StringComparison.Ordinal)
            || trimmed.EndsWith("?", StringComparison.Ordinal) || tokens.Any(token => token.EndsWith(":", StringComparison.Ordinal) || token.EndsWith(",", StringComparison.Ordinal));
        return hasSentenceMark || words >= 6;
    }

    private static readonly char[] SentencePunctuation = { '.', ',', ':', ';', '!', '?', '(', ')', '\'', '"' };

    /// <summary>
    /// Names of algorithms, OAuth client authentication methods and grant types, HTTP
    /// authentication schemes, credential kinds of SDKs, and switch values, compared without case
    /// or separators. Words that are also weak passwords ("password", "secret", "admin",
    /// "default") are not listed: <c>AdminPassword = "password"</c> stays reported.
    /// </summary>
    private static readonly HashSet<string> WellKnownNames = new(StringComparer.Ordinal)
    {
        "hs256", "hs384", "hs512", "rs256", "rs384", "rs512", "es256", "es384", "es512", "ps256", "ps384", "ps512", "eddsa",
        "sha1", "sha256", "sha384", "sha512", "md5", "hmacsha256", "hmacsha384", "hmacsha512", "aes", "aes128", "aes256",
        "bcrypt", "scrypt", "argon2", "argon2id", "pbkdf2", "none",
        "clientsecretpost", "clientsecretbasic", "clientsecretjwt", "privatekeyjwt", "tlsclientauth", "selfsignedtlsclientauth",
        "authorizationcode", "clientcredentials", "devicecode", "implicit", "urnietfparamsoauthgranttypedevicecode",
        "urnietfparamsoauthgranttypejwtbearer", "urnietfparamsoauthgranttypetokenexchange",
        "bearer", "basic", "digest", "negotiate", "ntlm", "kerberos", "dpop", "apikey", "oauth", "oauth2", "openidconnect", "oidc",
        "jwt", "pat", "sas", "certificate", "clientcertificate", "managedidentity", "workloadidentity", "azurecli",
        "azurepowershell", "azuredevelopercli", "interactive", "interactivebrowser", "integrated", "windows", "visualstudio", "visualstudiocode", "environment",
        "connectionstring", "accesskey", "sharedkey", "sharedaccesskey", "anonymous", "usernamepassword", "clientsecret",
        "enabled", "disabled", "enable", "disable", "true", "false", "yes", "no", "on", "off", "required", "optional", "auto", "na",
    };

    /// <summary>A well-known algorithm, authentication method, credential kind, URN (a token type) or switch value.</summary>
    public static bool IsWellKnownName(string value)
        => WellKnownNames.Contains(Normalize(value)) || Matches(CredentialTypeName, value)
            || value.StartsWith("urn:", StringComparison.OrdinalIgnoreCase);

    // A type name such as "ManagedIdentityCredential" or "PlaybackTokenCredential": what an SDK's
    // credential selector (AZURE_TOKEN_CREDENTIALS) takes, never the credential itself.
    private static readonly Regex CredentialTypeName = new(@"^(?:[A-Z][a-z0-9]*)+Credentials?$", RegexOptions.CultureInvariant, Timeout);

    /// <summary>
    /// Two or more of the identifier's words, in order and adjacent: "SecretHint" for
    /// <c>SecretHintMetaKey</c>, "api-key" for <c>ApiKeyHeader</c>. One word is not enough:
    /// <c>SecretKey = "secret"</c> is a weak secret.
    /// </summary>
    private static bool IsMadeOfIdentifierWords(string value, string identifier)
    {
        if (!value.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or ':'))
        {
            return false;
        }

        var valueWords = SecretNames.SplitWords(value);
        var identifierWords = SecretNames.SplitWords(identifier);
        if (valueWords.Length < 2 || valueWords.Length > identifierWords.Length)
        {
            return false;
        }

        for (var start = 0; start + valueWords.Length <= identifierWords.Length; start++)
        {
            var all = true;
            for (var i = 0; i < valueWords.Length && all; i++)
            {
                all = SecretNames.WordEquals(valueWords[i], identifierWords[start + i]);
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The text that replaces a secret when it is shown or logged: "********", "••••", "[REDACTED]",
    /// "&lt;hidden&gt;", "***masked***". A redactor's <c>RedactedSecret</c> or a form's
    /// <c>PasswordMask</c> holds no secret.
    /// </summary>
    public static bool IsMask(string value)
    {
        var letters = new string(value.Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray());
        if (!value.All(c => char.IsLetter(c) || MaskPunctuation.IndexOf(c) >= 0))
        {
            return false;
        }

        return letters.Length == 0 ? value.Any(c => c is '*' or '•' or '●') : MaskWords.Contains(letters);
    }

    private const string MaskPunctuation = "*•●[]<>(){}_- ";

    private static readonly HashSet<string> MaskWords = new(StringComparer.Ordinal)
    {
        "redacted", "masked", "hidden", "removed", "filtered", "scrubbed", "omitted", "sanitized", "censored", "protected",
    };

    /// <summary>A description of the well-known credential format the text contains, or null.</summary>
    public static string? TokenFormat(string text)
    {
        foreach (var (pattern, description) in TokenFormats)
        {
            if (Matches(pattern, text))
            {
                return description;
            }
        }

        try
        {
            foreach (Match match in SkKey.Matches(text))
            {
                var tail = match.Groups[1].Value;
                if (tail.Any(char.IsDigit) && tail.Any(char.IsUpper) && tail.Any(char.IsLower))
                {
                    return "an API key (sk-…)";
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
        }

        return null;
    }

    /// <summary>
    /// A connection string ("Server=…;Password=…") whose Password/Pwd is a real value, not a
    /// template placeholder (@password, {0}, $PASSWORD, %PASSWORD%, &lt;password&gt;, ***).
    /// </summary>
    public static bool ConnectionStringHasPassword(string text)
    {
        var pairs = 0;
        var hasPassword = false;
        foreach (var segment in text.Split(';'))
        {
            var equals = segment.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            pairs++;
            var key = segment.Substring(0, equals).Trim();
            var value = segment.Substring(equals + 1).Trim().Trim('"', '\'');
            if (IsPasswordKey(key) && !IsPasswordPlaceholder(value))
            {
                hasPassword = true;
            }
        }

        return hasPassword && pairs >= 2;
    }

    /// <summary>A URI with a password in its user info ("postgres://app:s3cret@db/app").</summary>
    public static bool UriHasPassword(string text)
    {
        try
        {
            foreach (Match match in UriWithPassword.Matches(text))
            {
                if (!IsPasswordPlaceholder(match.Groups["password"].Value))
                {
                    return true;
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
        }

        return false;
    }

    /// <summary>Text that ends a connection string just before its password: "…;Password=".</summary>
    public static bool EndsWithPasswordKey(string text)
    {
        var trimmed = text.TrimEnd();
        if (trimmed.Length < 2 || !trimmed.EndsWith("=", StringComparison.Ordinal))
        {
            return false;
        }

        var start = trimmed.LastIndexOf(';', trimmed.Length - 2) + 1;
        return IsPasswordKey(trimmed.Substring(start, trimmed.Length - 1 - start).Trim());
    }

    /// <summary>A value that stands for a password supplied later, not a password.</summary>
    public static bool IsPasswordPlaceholder(string value)
    {
        value = value.Trim();
        if (value.Length == 0 || value.All(c => c == '*' || c == 'x' || c == 'X'))
        {
            return true;
        }

        return value[0] is '@' or ':' or '$' or '?'
            || IsExamplePlaceholder(value)
            || (value.Length > 2 && value[0] == '%' && value[value.Length - 1] == '%')
            || (value.Length > 2 && value[0] == '{' && value[value.Length - 1] == '}' && IsIdentifierLike(value.Substring(1, value.Length - 2)))
            || (value.Length >= 2 && value[0] == '<' && value[value.Length - 1] == '>');
    }

    /// <summary>
    /// The password of an example connection string in help text or a sample: "mypassword",
    /// "your_password", "YourPassword", "example". Letters only, so a real default such
    /// as "YourStrong@Passw0rd" stays reported; "changeme" does too, since a program that ships it
    /// runs with it (guide S1).
    /// </summary>
    private static bool IsExamplePlaceholder(string value)
    {
        var letters = value.Where(c => c != '_' && c != '-').ToArray();
        if (letters.Length == 0 || !letters.All(char.IsLetter))
        {
            return false;
        }

        var lower = new string(letters).ToLowerInvariant();
        return ((lower.StartsWith("my", StringComparison.Ordinal) || lower.StartsWith("your", StringComparison.Ordinal))
                && (lower.EndsWith("password", StringComparison.Ordinal) || lower.EndsWith("pwd", StringComparison.Ordinal) || lower.EndsWith("pass", StringComparison.Ordinal) || lower.EndsWith("secret", StringComparison.Ordinal)))
            || lower.Contains("example") || lower.Contains("placeholder");
    }

    private static bool IsPasswordKey(string key)
    {
        var lower = key.ToLowerInvariant();
        return lower == "pwd" || lower == "password" || lower.EndsWith(" password", StringComparison.Ordinal);
    }

    private static bool IsIdentifierLike(string text)
        => text.Length > 0 && text.All(c => char.IsLetterOrDigit(c) || c == '_' || c == ':' || c == '.');

    private static string Normalize(string text)
        => new(text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static bool Matches(Regex regex, string text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
