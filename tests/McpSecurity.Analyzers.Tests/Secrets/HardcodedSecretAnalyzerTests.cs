using McpSecurity.Analyzers.Secrets;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.AnalyzerVerifier<McpSecurity.Analyzers.Secrets.HardcodedSecretAnalyzer>;

namespace McpSecurity.Analyzers.Tests.Secrets;

/// <summary>MCPSEC101: hardcoded secrets. MCPSEC102 and 103 live in the other parts of this class.</summary>
public partial class HardcodedSecretAnalyzerTests
{
    private static Task VerifyWith(ReferenceAssemblies references, string source, params string[] additionalSources)
    {
        var test = Verify.CreateTest(source, additionalSources);
        test.ReferenceAssemblies = references;
        return test.RunAsync();
    }

    private static Task VerifyExecutable(string source)
    {
        var test = Verify.CreateTest(source);
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        return test.RunAsync();
    }

    private static Task VerifyWithEditorConfig(string editorConfig, string source)
    {
        var test = Verify.CreateTest(source);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig + "\n"));
        return test.RunAsync();
    }

    // ---- MCPSEC101: the guide's S1 and its regressions, written in C# ------------------------------

    [Fact]
    public Task Flags_settings_property_with_the_guides_placeholder_default() => Verify.VerifyAsync("""
        public class AuthSettings
        {
            public string SecretKey { get; set; } = {|MCPSEC101:"your-secret-key-change-in-production"|};
            public string Algorithm { get; set; } = "HS256";
        }
        """);

    [Fact]
    public Task Flags_mock_user_store_with_object_initializers() => Verify.VerifyAsync("""
        using System.Collections.Generic;
        public class User
        {
            public string Name { get; set; } = "";
            public string Password { get; set; } = "";
        }
        public class MockAuthService
        {
            private readonly List<User> _users = new()
            {
                new User { Name = "admin", Password = {|MCPSEC101:"admin123"|} },
                new() { Name = "guest", Password = {|MCPSEC101:"guest"|} },
            };
        }
        """);

    [Fact]
    public Task Flags_mock_user_store_dictionaries_by_the_collection_name() => Verify.VerifyAsync("""
        using System.Collections.Generic;
        public class MockAuthService
        {
            private static readonly Dictionary<string, string> UserPasswords = new()
            {
                ["admin"] = {|MCPSEC101:"admin123"|},
            };
            private readonly Dictionary<string, string> _credentials = new Dictionary<string, string>
            {
                { "admin", {|MCPSEC101:"admin123"|} },
            };
            private readonly Dictionary<string, string> _displayNames = new() { ["admin"] = "Administrator" };

            public void Seed(Dictionary<string, string> passwords)
            {
                passwords.Add("root", {|MCPSEC101:"toor"|});
                passwords["guest"] = {|MCPSEC101:"guest123"|};
            }
        }
        """);

    [Fact]
    public Task Flags_positional_arguments_to_secret_named_parameters_of_source_methods() => Verify.VerifyAsync("""
        public record User(string Name, string Password);
        public class Seed
        {
            public User Admin() => new User("admin", {|MCPSEC101:"admin123"|});
            public bool Check(string userName, string password) => true;
            public bool Login() => Check("admin", {|MCPSEC101:"admin123"|});
        }
        """);

    [Fact]
    public Task Flags_every_kind_of_secret_named_target() => Verify.VerifyAsync("""
        using System;
        public record Options(string ApiKey = {|MCPSEC101:"k-123456"|})
        {
            public string ClientSecret { get; init; } = {|MCPSEC101:"s3cr3t"|};
        }
        public class Targets
        {
            private const string DefaultPassword = {|MCPSEC101:"P@ssw0rd"|};
            private static readonly string _jwtSigningKey = {|MCPSEC101:"super-signing-key-0123456789"|};
            public string Token;
            public string AccessToken => {|MCPSEC101:"at-0123456789"|};
            public string RefreshToken { get { return {|MCPSEC101:"rt-0123456789"|}; } }
            public string GetApiKey() => {|MCPSEC101:"k-abcdef"|};
            public void Connect(string host, string password = {|MCPSEC101:"hunter2"|}) { }

            public void M(Options options)
            {
                var apiKey = {|MCPSEC101:"k-abcdef"|};
                string pwd;
                pwd = {|MCPSEC101:"hunter2"|};
                Token = {|MCPSEC101:"t-0123456789"|};
                Connect("db", password: {|MCPSEC101:"hunter2"|});
                var copy = options with { ClientSecret = {|MCPSEC101:"other"|} };
                var anonymous = new { User = "admin", Password = {|MCPSEC101:"admin123"|} };
                string LocalSecret() => {|MCPSEC101:"local"|};
            }
        }
        """);

    [Fact]
    public Task Flags_every_literal_spelling() => Verify.VerifyAsync(""""
        public class Spellings
        {
            private const string Prefix = "sk";
            public string Password1 = {|MCPSEC101:@"verbatim\secret"|};
            public string Password2 = {|MCPSEC101:"""
                raw secret
                """|};
            public string Password3 = {|MCPSEC101:$"interpolated-without-holes"|};
            public string Password4 = {|MCPSEC101:$"{Prefix}-constant-interpolation"|};
            public string Password5 = {|MCPSEC101:"con" + "catenated"|};
            public System.ReadOnlySpan<byte> Secret1 => {|MCPSEC101:"s3cr3t-utf8"u8|};
            public byte[] SigningKey = {|MCPSEC101:new byte[] { 1, 2, 3, 4 }|};
            public char[] Passphrase = {|MCPSEC101:{ 'o', 'p', 'e', 'n' }|};
            public byte[] EncryptionKey = System.Text.Encoding.UTF8.GetBytes({|MCPSEC101:"encrypt-me-0123"|});
            public string[] ApiKeys = { {|MCPSEC101:"k1-abcdef"|}, "k2-abcdef" };
            public string Secret2 = {|MCPSEC101:Prefix|};
            public object Secret3 = {|MCPSEC101:"boxed"|};
        }
        """");

    [Fact]
    public Task Flags_secret_named_constant_at_its_declaration_only() => Verify.VerifyAsync("""
        public class Constants
        {
            public const string AdminPassword = {|MCPSEC101:"admin123"|};
        }
        public class Use
        {
            public string Password = Constants.AdminPassword;
        }
        """);

    [Fact]
    public Task Flags_conditional_and_switch_branches_that_are_all_literals() => Verify.VerifyAsync("""
        public class Keys
        {
            public string SigningKey(bool isDev) => isDev ? {|MCPSEC101:"dev-key-1"|} : {|MCPSEC101:"prod-key-1"|};
            public string ApiToken(int tenant) => tenant switch
            {
                1 => {|MCPSEC101:"tenant-one"|},
                _ => {|MCPSEC101:"tenant-other"|},
            };
        }
        """);

    [Fact]
    public Task Flags_a_bare_key_qualified_by_its_settings_type() => Verify.VerifyAsync("""
        public class JwtSettings
        {
            public string Key { get; set; } = {|MCPSEC101:"dev-key-0123456789"|};
            public string KeyId { get; set; } = "k1";
            public string Issuer { get; set; } = "mcp";
        }
        public class CacheSettings
        {
            public string Key { get; set; } = "users";
        }
        public class Jwt
        {
            public const string Key = {|MCPSEC101:"jwt-key-0123456789"|};
        }
        public class SigningOptions
        {
            public string Key = {|MCPSEC101:"signing-key-0123456789"|};
        }
        // From this repository's tests: a test class about secrets and its fix's equivalence key.
        public class SecretFallbackCodeFixTests
        {
            private const string Key = "MCPSEC102.FailWhenMissing";
        }
        """);

    [Fact]
    public Task Ignores_longer_key_names_in_secret_named_types_and_word_lists() => Verify.VerifyAsync("""
        // From this repository's own code: the type's name is about secrets, the member's is not.
        public sealed class HardcodedSecretCodeFix
        {
            private const string EquivalenceKey = "MCPSEC101.ReadEnvironment";
            public static string ReadEnvironmentKey { get; } = "MCPSEC101.Env";
        }
        public static class SecretNameDefaults
        {
            public const string DefaultSecretWords = "secret,password,token";
            public static bool Matches(string name, string secretWords = "secret,password") => name.Length > secretWords.Length;
        }
        """);

    // One finding per collection (issue 15): the second key is the same mistake.
    [Fact]
    public Task Flags_collection_expressions() => Verify.VerifyAsync("""
        public class Keys
        {
            public string[] ApiKeys = [{|MCPSEC101:"k1-abcdef"|}, "k2-abcdef"];
        }
        """);

    [Fact]
    public Task Flags_placeholders_that_peer_tools_skip_on_purpose() => Verify.VerifyAsync("""
        public class Placeholders
        {
            public string Password = {|MCPSEC101:"changeme"|};
            public string JwtSecret = {|MCPSEC101:"dev-secret-key-change-in-production"|};
            public string ApiKey = {|MCPSEC101:"your-api-key"|};
            public string SecretKey = {|MCPSEC101:"dev_secret_key"|};
            public string Token = {|MCPSEC101:"xxx"|};
        }
        """);

    [Fact]
    public Task Flags_configuration_setup_with_secret_named_keys() => VerifyWith(SecretTestReferences.Configuration, """
        using System.Collections.Generic;
        using Microsoft.Extensions.Configuration;
        public static class Setup
        {
            public static IConfiguration Build()
            {
                var values = new Dictionary<string, string?>
                {
                    ["Jwt:Key"] = {|MCPSEC101:"0123456789abcdef0123456789abcdef"|},
                    ["Jwt:Issuer"] = "me",
                    ["SECRET_KEY"] = {|MCPSEC101:"dev"|},
                };
                var configuration = new ConfigurationBuilder()
                    .AddInMemoryCollection(values)
                    .AddInMemoryCollection(new[] { new KeyValuePair<string, string?>("ApiKeys:GitHub", {|MCPSEC101:"gh-0123456789"|}) })
                    .Build();
                configuration["Smtp:Password"] = {|MCPSEC101:"mail-pass"|};
                configuration.GetSection("Jwt")["SigningKey"] = {|MCPSEC101:"sign-0123456789"|};
                System.Environment.SetEnvironmentVariable("JWT_SECRET_KEY", {|MCPSEC101:"from-code"|});
                return configuration;
            }
        }
        """);

    [Fact]
    public Task Flags_secret_named_http_headers() => Verify.VerifyAsync("""
        using System.Net.Http;
        public class Client
        {
            public HttpClient Create()
            {
                var client = new HttpClient();
                client.DefaultRequestHeaders.Add("X-Api-Key", {|MCPSEC101:"k-0123456789"|});
                client.DefaultRequestHeaders.Add("X-Request-Source", "mcp");
                return client;
            }
        }
        """);

    [Fact]
    public Task Flags_attribute_arguments() => Verify.VerifyAsync("""
        using System;
        [AttributeUsage(AttributeTargets.All)]
        public class ApiClientAttribute : Attribute
        {
            public ApiClientAttribute(string name, string apiKey) { }
            public string? Token { get; set; }
        }
        [ApiClient("github", {|MCPSEC101:"k-0123456789"|}, Token = {|MCPSEC101:"t-0123456789"|})]
        public class GitHubTools { }
        """);

    [Fact]
    public Task Flags_top_level_statements_and_primary_constructor_defaults() => VerifyExecutable("""
        var apiKey = {|MCPSEC101:"k-0123456789"|};
        System.Console.WriteLine(apiKey.Length);

        public class Connector(string host, string password = {|MCPSEC101:"hunter2"|})
        {
            public string Host => host + password.Length;
        }
        """);

    [Fact]
    public Task Flags_test_code_like_any_other_code() => Verify.VerifyAsync("""
        namespace Xunit { public class FactAttribute : System.Attribute { } }
        public class LoginTests
        {
            [Xunit.Fact]
            public void Admin_can_log_in()
            {
                var password = {|MCPSEC101:"admin123"|};
                System.Console.WriteLine(password.Length);
            }
        }
        """);

    [Fact]
    public Task Message_names_the_target_the_form_and_the_secret_word()
    {
        var test = Verify.CreateTest("""
            public class AuthSettings
            {
                public string SecretKey { get; set; } = "your-secret-key-change-in-production";
            }
            """);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleCatalog.HardcodedSecret)
            .WithSpan(3, 45, 3, 83)
            .WithArguments("SecretKey", "is initialized with", "secret"));
        return test.RunAsync();
    }

    // ---- MCPSEC101: false-positive traps ----------------------------------------------------------

    [Fact]
    public Task Ignores_names_that_describe_a_secret() => Verify.VerifyAsync("""
        public class Descriptors
        {
            public const string PasswordFieldName = "txtPassword";
            public const string PasswordPropertyName = "Password";
            public string TokenType = "Bearer";
            public const string SecretKeyEnvVar = "SECRET_KEY";
            public const string PasswordHeader = "X-Password";
            public string PasswordPolicy = "min-12-chars";
            public string TokenCount = "5";
            public string TokenEndpoint = "https://login.example.com/oauth2/token";
            public string PasswordHint = "your pet's name";
            public string SigningKeyPath = "/run/secrets/signing.key";
            public string ApiKeyId = "AKID-1";
            public string JwtPublicKey = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA";
            private const string AzureAiTokenScope = "https://cognitiveservices.azure.com/.default";
            public string TokenAuthority = "https://login.microsoftonline.com/common";
        }
        """);

    [Fact]
    public Task Ignores_values_that_name_the_secret() => Verify.VerifyAsync("""
        public static class OAuthParameters
        {
            public const string Password = "password";
            public const string AccessToken = "access_token";
            public const string ClientSecret = "client_secret";
            public const string ApiKey = "X-Api-Key";
            public const string SecretKey = "SECRET_KEY";
            public const string JwtKey = "Jwt:Key";
            public const string SigningKey = "Jwt:SigningKey";
            public const string Token = "accessToken";
        }
        """);

    [Fact]
    public Task Ignores_empty_and_blank_values_and_nameof() => Verify.VerifyAsync("""
        public class Blank
        {
            public string Password { get; set; } = "";
            public string Token = string.Empty;
            public string Secret = "   ";
            public string ApiKey = $"";
            public string PasswordName = nameof(Password);
            public string Credential = nameof(Credential);
        }
        """);

    // Found in a real MCP server: a 'dotnet user-secrets' tool whose validation messages were taken
    // for a secret returned by a method named 'DotnetSecretsSet'.
    [Fact]
    public Task Ignores_messages_returned_by_methods_that_act_on_a_secret() => Verify.VerifyAsync("""
        public class SecretTools
        {
            public string DotnetSecretsSet(string key) => string.IsNullOrEmpty(key) ? "Error: key parameter is required." : "ok";
            public string DotnetSecretsRemove(string key) { return "Error: key parameter is required."; }
            public string SetPassword(string user) => "Password updated.";
            public string ValidateToken(string token) => "expired";
            public string IsTokenExpired() => "yes";
            public string ListSecrets() => "none";

            public string GetApiKey() => {|MCPSEC101:"k-abcdef"|};
            public string CreateToken() => {|MCPSEC101:"t-0123456789"|};
            public string LoadSecret() => {|MCPSEC101:"s3cr3t"|};
            public string Password => {|MCPSEC101:"hunter2"|};

            public void M()
            {
                string ResetToken() => "reset";
                string LocalToken() => {|MCPSEC101:"t-local"|};
            }
        }
        """);

    // Found in a real MCP server: the mask a redactor writes in place of a secret.
    [Fact]
    public Task Ignores_masks_that_stand_in_for_a_secret() => Verify.VerifyAsync("""
        public class Redactor
        {
            private const string RedactedSecret = "[REDACTED]";
            private const string MaskedPassword = "********";
            public string TokenDisplay = "<hidden>";
            public string Password = "***masked***";
            public string ApiKey = "••••••";

            public string Secret = {|MCPSEC101:"[REDACTED-but-real-0123]"|};
            public string ClientSecret = {|MCPSEC101:"***" + "x"|};
        }
        """);

    [Fact]
    public Task Ignores_secrets_that_come_from_somewhere_else() => VerifyWith(SecretTestReferences.Configuration, """
        using System;
        using Microsoft.Extensions.Configuration;
        public class Sources
        {
            private readonly string _token;
            public Sources(string password, IConfiguration config)
            {
                Password = password;
                SecretKey = config["Jwt:Key"]!;
                var jwtKey = config.GetSection("Jwt")["Key"];
                _token = Environment.GetEnvironmentVariable("SECRET_KEY") ?? throw new InvalidOperationException("SECRET_KEY is required");
                ApiKey = Environment.GetEnvironmentVariable("API_KEY")!;
            }
            public string Password { get; }
            public string SecretKey { get; }
            public string ApiKey { get; }
            public string Token => _token;
        }
        """);

    [Fact]
    public Task Ignores_literals_given_to_names_that_are_not_secret() => Verify.VerifyAsync("""
        public class Plain
        {
            public string CacheKey = "users:42";
            public string Key = "k";
            public string Tokenizer = "cl100k";
            public string Greeting = "your-secret-key-change-in-production is a bad default";
            public string Algorithm = "HS256";
            public void Log(string message) { }
            public void M() => Log("password reset requested");
        }
        """);

    [Fact]
    public Task Ignores_comparisons_with_literals_such_as_placeholder_checks() => Verify.VerifyAsync("""
        using System;
        public class Startup
        {
            public void Check(string apiKey)
            {
                if (apiKey == "your-api-key-here")
                {
                    throw new InvalidOperationException("Set a real API key");
                }
            }
        }
        """);

    [Fact]
    public Task Ignores_generated_code() => Verify.VerifyAsync("""
        // <auto-generated/>
        public class Generated
        {
            public string Password = "admin123";
        }
        """);

    [Fact]
    public Task Ignores_positional_arguments_of_library_methods_named_like_secrets() => Verify.VerifyAsync("""
        public class Library
        {
            public void M(System.Text.StringBuilder builder)
            {
                builder.Replace("{token}", "value");
                System.Console.WriteLine("token: {0}", "abc");
            }
        }
        """);

    [Fact]
    public Task Does_not_crash_on_broken_code()
    {
        var test = Verify.CreateTest("""
            public class Broken
            {
                public string Password { get; set; } = ;
                public string Token = "unterminated
                public void M()
                {
                    var user = new User { Password = };
                    string secret = $"{";
                    Connect(password: );
                    Connect(password: "x"
                }
            }
            """);
        test.CompilerDiagnostics = CompilerDiagnostics.None;
        test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleCatalog.HardcodedSecret).WithLocation(4, 27).WithArguments("Token", "is initialized with", "token"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleCatalog.HardcodedSecret).WithLocation(8, 25).WithArguments("secret", "is initialized with", "secret"));
        return test.RunAsync();
    }

    // ---- Options ------------------------------------------------------------------------------------

    [Fact]
    public Task Secret_words_can_be_extended_with_a_plus() => VerifyWithEditorConfig("mcpsec.secret_words = +pin, license key", """
        public class Device
        {
            public string AdminPin = {|MCPSEC101:"1234"|};
            public string LicenseKey = {|MCPSEC101:"ABCD-EFGH"|};
            public string Password = {|MCPSEC101:"still-flagged"|};
        }
        """);

    [Fact]
    public Task Secret_words_can_be_replaced() => VerifyWithEditorConfig("mcpsec.secret_words = pin", """
        public class Device
        {
            public string AdminPin = {|MCPSEC101:"1234"|};
            public string Password = "no longer a secret word";
        }
        """);

    [Fact]
    public Task Descriptor_words_can_be_extended() => VerifyWithEditorConfig("mcpsec.secret_descriptor_words = +sample", """
        public class Docs
        {
            public string PasswordSample = "correct horse battery staple";
            public string PasswordHint = "still a descriptor";
            public string Password = {|MCPSEC101:"flagged"|};
        }
        """);
}
