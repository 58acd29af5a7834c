using McpSecurity.TestSupport;
using Verify = McpSecurity.TestSupport.AnalyzerVerifier<McpSecurity.Analyzers.Secrets.HardcodedSecretAnalyzer>;

namespace McpSecurity.Analyzers.Tests.Secrets;

/// <summary>
/// MCPSEC101–103 judge the value as well as the name. Each trap below is the general form of a
/// wrong finding on public MCP servers (issue 15); each positive is a mistake that must stay found.
/// </summary>
public partial class HardcodedSecretAnalyzerTests
{
    [Fact]
    public Task Ignores_prose_under_a_secret_name() => Verify.VerifyAsync("""
        using System.Collections.Generic;
        public static class Messages
        {
            public const string USER_DELEGATED_AUTH_MISSING_CREDENTIALS_ERR_MSG =
                "User-delegated authentication requires CLIENT_ID, TENANT_ID, and CLIENT_SECRET environment variables.";
            public const string TOKEN_ACQUISITION_FAILED = "Authentication failed: Unable to acquire an access token on behalf of the user.";
            public const string MissingCredentials = "Missing credentials: set GITHUB_TOKEN";
        }
        public class GetSecretOptions
        {
            public string Secret { get; set; } = "The name of the secret.";
            public string ContinuationToken { get; set; } = "Token returned by the previous call, to get the next page";
        }
        public class ServerParameters
        {
            public Dictionary<string, string> Descriptions = new()
            {
                ["password_encryption"] = "Controls password hashing algorithm.",
            };
        }
        public class StillSecrets
        {
            public string Passphrase = {|MCPSEC101:"correct horse battery staple"|};
            public string Password = {|MCPSEC101:"let me in"|};
        }
        """);

    [Fact]
    public Task Ignores_algorithm_auth_method_and_switch_names() => Verify.VerifyAsync("""
        public class ProtectedResourceMetadata
        {
            public string[] IdTokenSigningAlgValuesSupported { get; set; } = ["RS256"];
            public string TokenEndpointAuthMethod { get; set; } = "client_secret_post";
            public string[] TokenEndpointAuthMethodsSupported { get; set; } = ["client_secret_basic", "private_key_jwt", "none"];
            public string DefaultCredential { get; set; } = "ManagedIdentity";
            public string AuthToken = "Bearer";
            public const string TokenTypeSaml2 = "urn:ietf:params:oauth:token-type:saml2";
            public string PasswordProtection = "Enabled";
            public void Select()
            {
                System.Environment.SetEnvironmentVariable("AZURE_TOKEN_CREDENTIALS", "ManagedIdentityCredential");
                System.Environment.SetEnvironmentVariable("AZURE_TOKEN_CREDENTIALS", "PlaybackTokenCredential");
                System.Environment.SetEnvironmentVariable("AZURE_MCP_ONLY_USE_BROKER_CREDENTIAL", "true");
            }
            public string SecretRotation = "Disabled";
        }
        public class WeakPasswords
        {
            public string AdminPassword = {|MCPSEC101:"password"|};
        }
        """);

    [Fact]
    public Task Ignores_values_made_of_the_members_own_words() => Verify.VerifyAsync("""
        public static class MetaKeys
        {
            public const string SecretHintMetaKey = "SecretHint";
            public const string ApiKeyHeaderValue = "api-key";
        }
        public class OneWordIsNotEnough
        {
            public string SecretKey = {|MCPSEC101:"secret"|};
        }
        """);

    [Fact]
    public Task Reports_one_finding_per_array_or_collection() => Verify.VerifyAsync("""
        using System.Collections.Generic;
        public class Keys
        {
            public static readonly string[] SupportedCredentials =
                ["ApiKey", "Bearer", "Basic", "OAuth2", "ClientCertificate", "ManagedIdentity", "AzureCli", "Environment", "Interactive", "DeviceCode", "UsernamePassword", "SharedAccessKey"];
            private static readonly string[] AcceptedTokenCredentialValues =
            [
                "dev", "prod",
                "EnvironmentCredential", "WorkloadIdentityCredential", "ManagedIdentityCredential",
                "AzureCliCredential", "DeviceCodeCredential", "InteractiveBrowserCredential",
            ];
            public string[] ApiKeys = { {|MCPSEC101:"k1-abcdef"|}, "k2-abcdef", "k3-abcdef" };
            public string[] Tokens = ["Bearer", {|MCPSEC101:"t-0123456789"|}, "t-9876543210"];
        }
        """);

    [Fact]
    public Task A_dashed_value_ending_in_the_members_word_is_a_secret_for_a_secret_slot() => Verify.VerifyAsync("""
        public class OAuthTestServer
        {
            public string ClientId = "enterprise-idp-client";
            public string ClientSecret = {|MCPSEC101:"enterprise-idp-secret"|};
            public string DbPassword = {|MCPSEC101:"db-admin-password"|};
        }
        public static class Parameters
        {
            public const string AccessToken = "access_token";
            public const string RefreshToken = "refresh-token";
            public const string ClientSecret = "client-secret";
            public const string ApiKey = "X-Api-Key";
        }
        """);

    [Fact]
    public Task Ignores_a_secret_named_connection_string_without_a_credential() => Verify.VerifyAsync("""
        public class Fixture
        {
            public void M()
            {
                string secretConnectionString = "Server=tcp:127.0.0.1,1433;Trusted_Connection=True;TrustServerCertificate=True;";
                string finalSecretValue = "Server=localhost;Database=Test;User Id=sa;Password=XXXX;";
                string storageSecret = {|MCPSEC101:"DefaultEndpointsProtocol=https;AccountName=app;AccountKey=c2VjcmV0LWtleQ=="|};
                System.Console.WriteLine(secretConnectionString + finalSecretValue + storageSecret);
            }
        }
        """);

    [Fact]
    public Task Ignores_placeholder_passwords_of_example_connection_strings() => Verify.VerifyAsync("""
        public class Help
        {
            public const string SampleConnectionString = "Data Source=<>;Initial Catalog=<>;User ID=<>;Password=<>;";
            public string Description = "Connection string, e.g. Server=db;User Id=sa;Password=mypassword";
            public string Yours = "Host=db;Username=app;Password=your_password";
            public string Example = "Host=db;Username=app;Password=ExamplePassword";
            public string Uri = "postgres://app:yourpassword@db/app";

            public string Changeme = {|MCPSEC103:"Host=db;Username=app;Password=changeme"|};
            public string SqlDefault = {|MCPSEC103:"Server=db;User Id=sa;Password=YourStrong@Passw0rd"|};
            public string MyDefault = {|MCPSEC103:"Server=db;User Id=sa;Password=mypassword1"|};
        }
        """);

    [Fact]
    public Task Ignores_fallbacks_that_cannot_be_a_credential() => Verify.VerifyAsync("""
        using System;
        public static class AuthConfig
        {
            public static readonly string AuthToken = Environment.GetEnvironmentVariable("AUTH_TOKEN") ?? "No token configured, set AUTH_TOKEN.";
            public static readonly string TokenScheme = Environment.GetEnvironmentVariable("API_TOKEN") ?? "Bearer";
            public static readonly string PasswordCheck = Environment.GetEnvironmentVariable("PASSWORD_CHECK") ?? "Disabled";
            public static readonly string SecretKey = Environment.GetEnvironmentVariable("SECRET_KEY") ?? {|MCPSEC102:"dev-fallback-key-NOT-for-production"|};
        }
        """);

    [Fact]
    public Task Ignores_progress_and_paging_tokens() => Verify.VerifyAsync("""
        using System.Collections.Generic;
        public class RequestParams
        {
            public Dictionary<string, object> Meta = new() { ["progressToken"] = "tok-1" };
            public string ContinuationToken { get; set; } = "page-2";
            public string AccessToken { get; set; } = {|MCPSEC101:"tok-1"|};
        }
        """);
}
