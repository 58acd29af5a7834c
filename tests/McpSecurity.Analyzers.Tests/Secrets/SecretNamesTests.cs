using McpSecurity.Analyzers.Shared;

namespace McpSecurity.Analyzers.Tests.Secrets;

public class SecretNamesTests
{
    private static SecretNameMatch Check(string identifier) => SecretNames.IsSecretName(identifier, SecretNameOptions.Default);

    [Theory]
    [InlineData("SecretKey", "secret, key")]
    [InlineData("secretKey", "secret, key")]
    [InlineData("_secretKey", "secret, key")]
    [InlineData("SECRET_KEY", "secret, key")]
    [InlineData("secret-key", "secret, key")]
    [InlineData("Jwt:SigningKey", "jwt, signing, key")]
    [InlineData("APIKey", "api, key")]
    [InlineData("JWTSecret", "jwt, secret")]
    [InlineData("HTTPServerURL", "http, server, url")]
    [InlineData("password1", "password, 1")]
    [InlineData("Sha256Key", "sha, 256, key")]
    [InlineData("x.y z", "x, y, z")]
    public void Splits_every_casing_into_lower_case_words(string identifier, string expected)
        => Assert.Equal(expected, string.Join(", ", SecretNames.SplitWords(identifier)));

    [Theory]
    [InlineData("SecretKey", "secret")]
    [InlineData("SECRET_KEY", "secret")]
    [InlineData("JWT_SECRET_KEY", "secret")]
    [InlineData("Password", "password")]
    [InlineData("adminPassword", "password")]
    [InlineData("DB_PASSWD", "passwd")]
    [InlineData("Pwd", "pwd")]
    [InlineData("Passphrase", "passphrase")]
    [InlineData("GitHubToken", "token")]
    [InlineData("Tokens", "token")]
    [InlineData("ClientCredentials", "credential")]
    [InlineData("ApiKey", "api key")]
    [InlineData("APIKEY", "api key")]
    [InlineData("x-api-key", "api key")]
    [InlineData("privateKey", "private key")]
    [InlineData("JwtKey", "key & jwt")]
    [InlineData("Jwt:Key", "key & jwt")]
    [InlineData("jwtSigningKey", "signing key")]
    [InlineData("HmacKey", "key & hmac")]
    [InlineData("EncryptionKey", "encryption key")]
    [InlineData("AWS_ACCESS_KEY", "access key")]
    [InlineData("secretkey", "secret key")]
    public void Recognises_secret_names(string identifier, string matched)
    {
        var match = Check(identifier);
        Assert.True(match.IsSecret, identifier + ": " + match.Reason);
        Assert.Equal(matched, match.MatchedWords);
    }

    [Theory]
    [InlineData("Key")]
    [InlineData("CacheKey")]
    [InlineData("PartitionKey")]
    [InlineData("Tokenizer")]
    [InlineData("Secretary")]
    [InlineData("Keyboard")]
    [InlineData("UserName")]
    [InlineData("")]
    public void Ignores_names_without_a_secret_word(string identifier)
        => Assert.False(Check(identifier).IsSecret);

    [Theory]
    [InlineData("PasswordFieldName", "name")]
    [InlineData("PasswordPropertyName", "name")]
    [InlineData("TokenType", "type")]
    [InlineData("SecretKeyEnvVar", "env var")]
    [InlineData("SECRET_KEY_ENV_VAR", "env var")]
    [InlineData("SecretKeyVariable", "variable")]
    [InlineData("PasswordHeader", "header")]
    [InlineData("PasswordPolicy", "policy")]
    [InlineData("PasswordLength", "length")]
    [InlineData("PasswordRegex", "regex")]
    [InlineData("TokenEndpoint", "endpoint")]
    [InlineData("TokenUrl", "url")]
    [InlineData("SigningKeyPath", "path")]
    [InlineData("ApiKeyId", "id")]
    [InlineData("AccessKeyIds", "id")]
    [InlineData("TokenCount", "count")]
    [InlineData("PasswordHint", "hint")]
    [InlineData("SecretQuestion", "question")]
    [InlineData("PasswordLabel", "label")]
    [InlineData("TokenLifetime", "lifetime")]
    [InlineData("ApiKeyPrefix", "prefix")]
    [InlineData("JwtPublicKey", "public key")]
    [InlineData("PublicKeyToken", "public key token")]
    public void Names_ending_in_a_descriptor_word_describe_a_secret_and_are_not_secret_named(string identifier, string descriptor)
    {
        var match = Check(identifier);
        Assert.False(match.IsSecret);
        Assert.Equal(descriptor, match.DescriptorWord);
        Assert.Contains(descriptor, match.Reason);
    }

    [Theory]
    [InlineData("progressToken", "progress token")]
    [InlineData("ContinuationToken", "continuation token")]
    [InlineData("cancellationToken", "cancellation token")]
    [InlineData("NextPageToken", "page token")]
    [InlineData("SyntaxTokens", "syntax token")]
    public void A_token_that_is_a_position_or_handle_is_not_secret_named(string identifier, string reason)
    {
        var match = Check(identifier);
        Assert.False(match.IsSecret);
        Assert.Equal(reason, match.DescriptorWord);
    }

    [Theory]
    [InlineData("ProgressAccessToken")]
    [InlineData("PageToken2AccessToken")]
    [InlineData("ProgressPassword")]
    public void A_credential_token_next_to_a_handle_word_stays_secret_named(string identifier)
        => Assert.True(Check(identifier).IsSecret);

    [Fact]
    public void A_descriptor_word_before_the_secret_word_does_not_exclude_it()
        => Assert.True(Check("NameToken").IsSecret);

    [Theory]
    [InlineData("SecretKey", "SECRET_KEY")]
    [InlineData("jwtSigningKey", "JWT_SIGNING_KEY")]
    [InlineData("_apiKey", "API_KEY")]
    [InlineData("m_password", "PASSWORD")]
    [InlineData("Jwt:Key", "JWT_KEY")]
    [InlineData("APIKey", "API_KEY")]
    [InlineData("Oauth2Token", "OAUTH2_TOKEN")]
    [InlineData("SECRET_KEY", "SECRET_KEY")]
    public void Derives_environment_variable_names_in_screaming_snake_case(string identifier, string expected)
        => Assert.Equal(expected, SecretNames.ToScreamingSnake(identifier));

    [Fact]
    public void Word_lists_are_configurable()
    {
        var options = SecretNameOptions.Create(new[] { "pin", "license key", "key&vault" }, new[] { "length" });
        Assert.True(SecretNames.IsSecretName("AdminPin", options).IsSecret);
        Assert.True(SecretNames.IsSecretName("LICENSE_KEY", options).IsSecret);
        Assert.True(SecretNames.IsSecretName("licensekey", options).IsSecret);
        Assert.True(SecretNames.IsSecretName("VaultUnsealKey", options).IsSecret);
        Assert.False(SecretNames.IsSecretName("Password", options).IsSecret);
        Assert.False(SecretNames.IsSecretName("PinLength", options).IsSecret);
        Assert.True(SecretNames.IsSecretName("PinType", options).IsSecret);
    }

    [Fact]
    public void Malformed_entries_are_ignored()
    {
        var options = SecretNameOptions.Create(new[] { "", " & ", "&token" }, new[] { "  " });
        Assert.True(SecretNames.IsSecretName("Token", options).IsSecret);
        Assert.False(SecretNames.IsSecretName("Password", options).IsSecret);
    }

    [Fact]
    public void The_default_lists_are_the_options_defaults()
    {
        Assert.Equal(SecretNames.DefaultSecretWords, RuleCatalog.SecretWords.DefaultValue);
        Assert.Equal(SecretNames.DefaultDescriptorWords, RuleCatalog.SecretDescriptorWords.DefaultValue);
    }

    [Theory]
    [InlineData("DotnetSecretsSet", true)]
    [InlineData("SetPassword", true)]
    [InlineData("ValidateTokenAsync", true)]
    [InlineData("IsTokenExpired", true)]
    [InlineData("ListSecrets", true)]
    [InlineData("SecretsLists", true)]
    [InlineData("GetApiKey", false)]
    [InlineData("CreateAccessToken", false)]
    [InlineData("LoadSigningKey", false)]
    [InlineData("ProcessToken", false)]
    [InlineData("PasswordSettings", false)]
    public void Action_names_are_told_from_getters(string methodName, bool isAction)
        => Assert.Equal(isAction, SecretNames.IsActionName(methodName));
}
