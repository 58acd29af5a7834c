using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers;

public static partial class RuleCatalog
{
    // ---- 1xx Secrets (guide S1) -----------------------------------------------------------------

    public static readonly DiagnosticDescriptor HardcodedSecret = Create(
        RuleIdentifiers.HardcodedSecret,
        "Hardcoded secret",
        "'{0}' {1} a hardcoded literal but is named as a secret ('{2}'); read it from the environment or a secret store and fail when it is missing",
        DiagnosticSeverity.Error,
        "A non-empty literal given to a field, property, local, parameter, argument, initializer member "
        + "or configuration key whose name marks it as a secret ships the secret to everyone who has the "
        + "code (guide S1: a default SECRET_KEY let anyone forge JWTs). Placeholders such as "
        + "'your-secret-key-change-in-production' are reported too: a known default is the worst secret.",
        weaknesses: ["CWE-798"]);

    public static readonly DiagnosticDescriptor InsecureSecretFallback = Create(
        RuleIdentifiers.InsecureSecretFallback,
        "Insecure fallback for a secret",
        "'{0}' falls back to a hardcoded literal when {1}; fail when the secret is missing instead of running with a known value",
        DiagnosticSeverity.Error,
        "A secret read from the environment or configuration with a literal fallback ('?? \"dev-key\"', "
        + "GetValue(key, \"default\"), an IsNullOrEmpty or environment-name conditional) runs with a known "
        + "key whenever the real one is missing: the regression the guide's project shipped two days "
        + "after fixing S1 ('dev-fallback-key-NOT-for-production').",
        weaknesses: ["CWE-798", "CWE-1188"]);

    public static readonly DiagnosticDescriptor LiteralKeyMaterial = Create(
        RuleIdentifiers.LiteralKeyMaterial,
        "Literal key material or credential",
        "{0}; a credential in source is readable by anyone with the code: load it at run time from a secret store",
        DiagnosticSeverity.Error,
        "Literal bytes or strings used as key material or a password by a security API (signing keys, "
        + "HMAC and cipher keys, NetworkCredential), connection strings and URIs that carry a password, "
        + "and literals in well-known token formats (GitHub, AWS, Slack, OpenAI, Stripe, Google, PEM "
        + "private keys, JWTs), whatever the name of the variable that holds them.",
        weaknesses: ["CWE-798", "CWE-321"]);

    // ---- Options --------------------------------------------------------------------------------

    public static readonly RuleOption SecretWords = new(
        "mcpsec.secret_words",
        SecretNames.DefaultSecretWords,
        "The words that make an identifier, configuration key or environment variable name secret-named. "
        + "Each entry is a word ('token'), a sequence of adjacent words ('api key', which also matches the "
        + "single word 'apikey'), or words joined by '&' that must all occur ('key&jwt' matches JwtKey and "
        + "JwtSigningKey). A word also matches its plural with -s. Start the value with '+' to add to the "
        + "defaults (e.g. '+pin,license key').",
        RuleIdentifiers.HardcodedSecret,
        RuleIdentifiers.InsecureSecretFallback,
        RuleIdentifiers.SecretValueLogged);

    public static readonly RuleOption SecretDescriptorWords = new(
        "mcpsec.secret_descriptor_words",
        SecretNames.DefaultDescriptorWords,
        "Words that, at the end of a secret-named identifier, say it describes a secret rather than holds "
        + "one (PasswordFieldName, TokenType, SecretKeyEnvVar): such names are not secret-named. Entries are "
        + "words or sequences of adjacent words ('env var'). Start the value with '+' to add to the defaults.",
        RuleIdentifiers.HardcodedSecret,
        RuleIdentifiers.InsecureSecretFallback,
        RuleIdentifiers.SecretValueLogged);
}
