using McpSecurity.CodeFixes.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Verify = McpSecurity.TestSupport.CodeFixVerifier<
    McpSecurity.Analyzers.Secrets.HardcodedSecretAnalyzer,
    McpSecurity.CodeFixes.Secrets.HardcodedSecretCodeFix>;

namespace McpSecurity.CodeFixes.Tests.Secrets;

public class HardcodedSecretCodeFixTests
{
    private const string Env = HardcodedSecretCodeFix.ReadEnvironmentKey;
    private const string Required = HardcodedSecretCodeFix.MakeRequiredKey;

    private static Task NoFix(string source, string key) => Verify.VerifyAsync(source, source, key);

    /// <summary>The action is offered (deciding costs a search of the solution, done only when it is chosen) and leaves the code as it is.</summary>
    private static Task LeavesUnchanged(string source, string key)
        => Infrastructure.FixRunner.AssertLeavesUnchangedAsync(source, new McpSecurity.Analyzers.Secrets.HardcodedSecretAnalyzer(), new HardcodedSecretCodeFix(), key);

    // ---- Fail-fast environment read ---------------------------------------------------------------

    [Fact]
    public Task Settings_default_becomes_a_fail_fast_environment_read() => Verify.VerifyAsync("""
        using System;
        public class AuthSettings
        {
            public string SecretKey { get; set; } = {|MCPSEC101:"your-secret-key-change-in-production"|};
        }
        """, """
        using System;
        public class AuthSettings
        {
            public string SecretKey { get; set; } = Environment.GetEnvironmentVariable("SECRET_KEY") ?? throw new InvalidOperationException("SECRET_KEY environment variable is required; set it before starting the application.");
        }
        """, Env);

    [Fact]
    public Task Qualifies_the_names_when_System_is_not_imported() => Verify.VerifyAsync("""
        class Client
        {
            string Connect()
            {
                var jwtSigningKey = {|MCPSEC101:"0123456789abcdef"|};
                return jwtSigningKey;
            }
        }
        """, """
        class Client
        {
            string Connect()
            {
                var jwtSigningKey = System.Environment.GetEnvironmentVariable("JWT_SIGNING_KEY") ?? throw new System.InvalidOperationException("JWT_SIGNING_KEY environment variable is required; set it before starting the application.");
                return jwtSigningKey;
            }
        }
        """, Env);

    [Fact]
    public Task A_private_constant_becomes_static_readonly() => Verify.VerifyAsync("""
        using System;
        public class Tokens
        {
            private const string ApiToken = {|MCPSEC101:"t-0123456789"|};
            public string Header() => "Bearer " + ApiToken;
        }
        """, """
        using System;
        public class Tokens
        {
            private static readonly string ApiToken = Environment.GetEnvironmentVariable("API_TOKEN") ?? throw new InvalidOperationException("API_TOKEN environment variable is required; set it before starting the application.");
            public string Header() => "Bearer " + ApiToken;
        }
        """, Env);

    [Fact]
    public Task A_local_constant_loses_const() => Verify.VerifyAsync("""
        using System;
        public class Tokens
        {
            public int M()
            {
                const string password = {|MCPSEC101:"hunter2"|};
                return password.Length;
            }
        }
        """, """
        using System;
        public class Tokens
        {
            public int M()
            {
                string password = Environment.GetEnvironmentVariable("PASSWORD") ?? throw new InvalidOperationException("PASSWORD environment variable is required; set it before starting the application.");
                return password.Length;
            }
        }
        """, Env);

    [Fact]
    public Task Method_names_lose_their_Get_prefix_and_configuration_keys_become_screaming_snake() => Verify.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        public class Secrets
        {
            public string GetApiKey() => {|MCPSEC101:"k-0123456789"|};
            public Dictionary<string, string?> Values() => new() { ["Jwt:Key"] = {|MCPSEC101:"0123456789abcdef"|} };
            public byte[] EncryptionKey = System.Text.Encoding.UTF8.GetBytes({|MCPSEC101:"encrypt-me-0123"|});
        }
        """, """
        using System;
        using System.Collections.Generic;
        public class Secrets
        {
            public string GetApiKey() => Environment.GetEnvironmentVariable("API_KEY") ?? throw new InvalidOperationException("API_KEY environment variable is required; set it before starting the application.");
            public Dictionary<string, string?> Values() => new() { ["Jwt:Key"] = Environment.GetEnvironmentVariable("JWT_KEY") ?? throw new InvalidOperationException("JWT_KEY environment variable is required; set it before starting the application.") };
            public byte[] EncryptionKey = System.Text.Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable("ENCRYPTION_KEY") ?? throw new InvalidOperationException("ENCRYPTION_KEY environment variable is required; set it before starting the application."));
        }
        """, Env);

    [Fact]
    public Task Fix_all_reads_every_secret_from_the_environment() => Verify.VerifyAsync("""
        using System;
        public record Settings
        {
            public string SecretKey { get; init; } = {|MCPSEC101:"your-secret-key-change-in-production"|};
            public string ApiKey { get; init; } = {|MCPSEC101:$"k-0123456789"|};
            public string Token(int tenant) => tenant switch { 1 => {|MCPSEC101:"t0k3n-first"|}, _ => {|MCPSEC101:"t0k3n-second"|} };
            public object Password = {|MCPSEC101:"admin123"|};
        }
        """, """
        using System;
        public record Settings
        {
            public string SecretKey { get; init; } = Environment.GetEnvironmentVariable("SECRET_KEY") ?? throw new InvalidOperationException("SECRET_KEY environment variable is required; set it before starting the application.");
            public string ApiKey { get; init; } = Environment.GetEnvironmentVariable("API_KEY") ?? throw new InvalidOperationException("API_KEY environment variable is required; set it before starting the application.");
            public string Token(int tenant) => tenant switch { 1 => Environment.GetEnvironmentVariable("TOKEN") ?? throw new InvalidOperationException("TOKEN environment variable is required; set it before starting the application."), _ => Environment.GetEnvironmentVariable("TOKEN") ?? throw new InvalidOperationException("TOKEN environment variable is required; set it before starting the application.") };
            public object Password = Environment.GetEnvironmentVariable("PASSWORD") ?? throw new InvalidOperationException("PASSWORD environment variable is required; set it before starting the application.");
        }
        """, Env);

    [Fact]
    public Task No_environment_fix_where_only_a_constant_is_allowed() => NoFix("""
        using System;
        public class ApiAttribute : Attribute { public ApiAttribute(string apiKey) { } }
        [Api({|MCPSEC101:"k-0123456789"|})]
        public class Constants
        {
            public const string DefaultToken = {|MCPSEC101:"t-0123456789"|};
            public void Connect(string password = {|MCPSEC101:"hunter2"|}) { }
            public string Describe(string value) => value switch
            {
                DefaultToken => "default",
                _ => "other",
            };
        }
        """, Env);

    [Fact]
    public Task No_environment_fix_for_a_constant_other_assemblies_can_see() => NoFix("""
        public class PublicConstants
        {
            public const string ApiToken = {|MCPSEC101:"t-0123456789"|};
            protected const string Password = {|MCPSEC101:"hunter2"|};
        }
        """, Env);

    [Fact]
    public Task An_internal_constant_becomes_static_readonly() => Verify.VerifyAsync("""
        public class Tokens
        {
            internal const string ApiToken = {|MCPSEC101:"t-0123456789"|};
        }
        """, """
        public class Tokens
        {
            internal static readonly string ApiToken = System.Environment.GetEnvironmentVariable("API_TOKEN") ?? throw new System.InvalidOperationException("API_TOKEN environment variable is required; set it before starting the application.");
        }
        """, Env);

    [Fact]
    public Task No_environment_fix_for_byte_arrays_or_mock_user_stores() => NoFix("""
        using System.Collections.Generic;
        public class Store
        {
            public byte[] SigningKey = {|MCPSEC101:new byte[] { 1, 2, 3, 4 }|};
            public System.ReadOnlySpan<byte> Secret => {|MCPSEC101:"s3cr3t-utf8"u8|};
            public Dictionary<string, string> UserPasswords = new() { ["admin"] = {|MCPSEC101:"admin123"|} };
        }
        """, Env);

    // ---- Remove the default, make the member required ---------------------------------------------

    [Fact]
    public Task Settings_property_becomes_required_when_every_creation_sets_it() => Verify.VerifyAsync("""
        public class AuthSettings
        {
            public string SecretKey { get; set; } = {|MCPSEC101:"your-secret-key-change-in-production"|};
            public string Algorithm { get; set; } = "HS256";
        }
        public static class Composition
        {
            public static AuthSettings Create(string key) => new AuthSettings { SecretKey = key };
            public static AuthSettings CreateTargetTyped(string key)
            {
                AuthSettings settings = new() { SecretKey = key, Algorithm = "HS512" };
                return settings;
            }
        }
        """, """
        public class AuthSettings
        {
            public required string SecretKey { get; set; }
            public string Algorithm { get; set; } = "HS256";
        }
        public static class Composition
        {
            public static AuthSettings Create(string key) => new AuthSettings { SecretKey = key };
            public static AuthSettings CreateTargetTyped(string key)
            {
                AuthSettings settings = new() { SecretKey = key, Algorithm = "HS512" };
                return settings;
            }
        }
        """, Required);

    [Fact]
    public Task Fix_all_makes_every_secret_of_a_settings_record_required() => Verify.VerifyAsync("""
        public record JwtOptions
        {
            public string SigningKey { get; init; } = {|MCPSEC101:"0123456789abcdef"|};
            public string ClientSecret { get; init; } = {|MCPSEC101:"s3cr3t"|};
            public string Issuer { get; init; } = "mcp";
        }
        public struct SmtpSettings
        {
            public SmtpSettings() { }
            public string Password = {|MCPSEC101:"mail-pass"|};
        }
        """, """
        public record JwtOptions
        {
            public required string SigningKey { get; init; }
            public required string ClientSecret { get; init; }
            public string Issuer { get; init; } = "mcp";
        }
        public struct SmtpSettings
        {
            public SmtpSettings() { }
            public required string Password;
        }
        """, Required);

    [Fact]
    public Task No_required_fix_when_a_creation_would_break() => LeavesUnchanged("""
        public class AuthSettings
        {
            public string SecretKey { get; set; } = {|MCPSEC101:"your-secret-key-change-in-production"|};
        }
        public class Consumer
        {
            public AuthSettings Defaults() => new AuthSettings();
        }
        """, Required);

    [Fact]
    public Task No_required_fix_when_a_target_typed_creation_or_a_derived_type_would_break() => LeavesUnchanged("""
        public class AuthSettings
        {
            public string SecretKey { get; set; } = {|MCPSEC101:"your-secret-key-change-in-production"|};
        }
        public class AdminSettings : AuthSettings { }
        public class Consumer
        {
            public AdminSettings Admin() => new AdminSettings();
        }
        public class Other
        {
            public AuthSettings Settings { get; } = new();
        }
        """, Required);

    [Fact]
    public Task No_required_fix_when_the_type_is_used_with_a_new_constraint() => LeavesUnchanged("""
        public class AuthSettings
        {
            public string SecretKey { get; set; } = {|MCPSEC101:"your-secret-key-change-in-production"|};
        }
        public static class Factory
        {
            public static T Create<T>() where T : new() => new T();
            public static AuthSettings Make() => Create<AuthSettings>();
        }
        """, Required);

    [Fact]
    public Task No_required_fix_for_members_less_visible_than_their_type_or_static_ones() => NoFix("""
        public class AuthSettings
        {
            public string SecretKey { get; private set; } = {|MCPSEC101:"your-secret-key-change-in-production"|};
            internal string ApiKey { get; set; } = {|MCPSEC101:"k-0123456789"|};
            public static string Token { get; set; } = {|MCPSEC101:"t-0123456789"|};
            public string Password { get; } = {|MCPSEC101:"hunter2"|};
        }
        """, Required);

    [Fact]
    public Task No_required_fix_before_CSharp_11()
    {
        var source = """
            public class AuthSettings
            {
                public string SecretKey { get; set; } = {|MCPSEC101:"your-secret-key-change-in-production"|};
            }
            """;
        var test = Verify.CreateTest(source, source, Required);
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var options = (CSharpParseOptions)solution.GetProject(projectId)!.ParseOptions!;
            return solution.WithProjectParseOptions(projectId, options.WithLanguageVersion(LanguageVersion.CSharp10));
        });
        return test.RunAsync();
    }
}
