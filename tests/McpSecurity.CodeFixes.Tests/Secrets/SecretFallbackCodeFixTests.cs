using McpSecurity.TestSupport;
using McpSecurity.CodeFixes.Secrets;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.CodeFixVerifier<
    McpSecurity.Analyzers.Secrets.HardcodedSecretAnalyzer,
    McpSecurity.CodeFixes.Secrets.SecretFallbackCodeFix>;

namespace McpSecurity.CodeFixes.Tests.Secrets;

public class SecretFallbackCodeFixTests
{
    private const string Key = SecretFallbackCodeFix.EquivalenceKey;

    private const string HostingStubs = """
        namespace Microsoft.AspNetCore.Hosting
        {
            public interface IWebHostEnvironment { string EnvironmentName { get; } }
            public static class HostingEnvironmentExtensions
            {
                public static bool IsDevelopment(this IWebHostEnvironment environment) => environment.EnvironmentName == "Development";
            }
        }
        """;

    private static Task VerifyWithConfiguration(string source, string fixedSource, params string[] additionalSources)
    {
        var test = Verify.CreateTest(source, fixedSource, Key, additionalSources);
        test.ReferenceAssemblies = SecretTestReferences.Configuration;
        return test.RunAsync();
    }

    [Fact]
    public Task Getenv_fallback_throws_instead() => Verify.VerifyAsync("""
        using System;
        public static class JwtConfig
        {
            public static readonly string SecretKey =
                Environment.GetEnvironmentVariable("JWT_SECRET_KEY") ?? {|MCPSEC102:"dev-secret-key-change-in-production"|};
        }
        """, """
        using System;
        public static class JwtConfig
        {
            public static readonly string SecretKey =
                Environment.GetEnvironmentVariable("JWT_SECRET_KEY") ?? throw new InvalidOperationException("JWT_SECRET_KEY is required; set the environment variable before starting the application.");
        }
        """, Key);

    [Fact]
    public Task Environment_conditional_keeps_the_real_branch_and_fails_without_it() => Verify.VerifyAsync("""
        using System;
        public static class Settings
        {
            public static string Load()
            {
                var key = Environment.GetEnvironmentVariable("ENVIRONMENT") != "production"
                    ? {|MCPSEC102:"dev-fallback-key-NOT-for-production"|}
                    : Environment.GetEnvironmentVariable("SECRET_KEY");
                return key;
            }

            public static string Inline() =>
                Environment.GetEnvironmentVariable("ENVIRONMENT") != "production"
                    ? {|MCPSEC102:"dev-fallback-key-NOT-for-production"|}
                    : Environment.GetEnvironmentVariable("SECRET_KEY") ?? throw new InvalidOperationException("SECRET_KEY is missing");
        }
        """, """
        using System;
        public static class Settings
        {
            public static string Load()
            {
                var key = Environment.GetEnvironmentVariable("SECRET_KEY") ?? throw new InvalidOperationException("SECRET_KEY is required; set the environment variable before starting the application.");
                return key;
            }

            public static string Inline() =>
                Environment.GetEnvironmentVariable("SECRET_KEY") ?? throw new InvalidOperationException("SECRET_KEY is missing");
        }
        """, Key);

    [Fact]
    public Task Is_development_conditional_becomes_the_configuration_read() => VerifyWithConfiguration("""
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.Extensions.Configuration;
        public class Startup
        {
            public string SigningKey(IWebHostEnvironment env, IConfiguration config)
                => env.IsDevelopment() ? {|MCPSEC102:"dev-key-0123456789"|} : config["Jwt:Key"]!;
        }
        """, """
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.Extensions.Configuration;
        public class Startup
        {
            public string SigningKey(IWebHostEnvironment env, IConfiguration config)
                => config["Jwt:Key"] ?? throw new System.InvalidOperationException("Jwt:Key is required; set it in configuration or the environment.");
        }
        """, HostingStubs);

    [Fact]
    public Task Fix_all_drops_configuration_defaults() => VerifyWithConfiguration("""
        using Microsoft.Extensions.Configuration;
        public class Reads
        {
            public int M(IConfiguration config)
            {
                var a = config["Jwt:Key"] ?? {|MCPSEC102:"a-dev-key"|};
                var b = config.GetValue<string>("Jwt:Key", {|MCPSEC102:"b-dev-key"|});
                var c = config.GetValue("Jwt:SigningKey", {|MCPSEC102:"c-dev-key"|});
                var d = config.GetValue<string>(key: "ApiKeys:OpenAI", defaultValue: {|MCPSEC102:"d-dev-key"|});
                var g = ConfigurationBinder.GetValue<string>(config, "Smtp:Password", {|MCPSEC102:"g-dev-key"|}).Length;
                return a.Length + b!.Length + c.Length + d!.Length + g;
            }
        }
        """, """
        using Microsoft.Extensions.Configuration;
        public class Reads
        {
            public int M(IConfiguration config)
            {
                var a = config["Jwt:Key"] ?? throw new System.InvalidOperationException("Jwt:Key is required; set it in configuration or the environment.");
                var b = config.GetValue<string>("Jwt:Key") ?? throw new System.InvalidOperationException("Jwt:Key is required; set it in configuration or the environment.");
                var c = config.GetValue<string>("Jwt:SigningKey") ?? throw new System.InvalidOperationException("Jwt:SigningKey is required; set it in configuration or the environment.");
                var d = config.GetValue<string>(key: "ApiKeys:OpenAI") ?? throw new System.InvalidOperationException("ApiKeys:OpenAI is required; set it in configuration or the environment.");
                var g = (ConfigurationBinder.GetValue<string>(config, "Smtp:Password") ?? throw new System.InvalidOperationException("Smtp:Password is required; set it in configuration or the environment.")).Length;
                return a.Length + b!.Length + c.Length + d!.Length + g;
            }
        }
        """);

    [Fact]
    public Task Fix_all_turns_null_checks_and_assignments_into_failures() => Verify.VerifyAsync("""
        using System;
        public class Checks
        {
            private string? _signingKey;
            public string SigningKey => _signingKey ??= {|MCPSEC102:"dev-signing-key"|};

            public string A()
            {
                var fromEnv = Environment.GetEnvironmentVariable("SECRET_KEY");
                return string.IsNullOrEmpty(fromEnv) ? {|MCPSEC102:"dev-a"|} : fromEnv;
            }

            public string B(string? token) => token is null ? {|MCPSEC102:"dev-b"|} : token;

            public string C()
            {
                var secretKey = Environment.GetEnvironmentVariable("SECRET_KEY");
                if (string.IsNullOrEmpty(secretKey))
                    secretKey = {|MCPSEC102:"dev-secret"|};
                return secretKey;
            }

            public void D()
            {
                _signingKey ??= {|MCPSEC102:"dev-signing-key"|};
            }
        }
        """, """
        using System;
        public class Checks
        {
            private string? _signingKey;
            public string SigningKey => _signingKey ?? throw new InvalidOperationException("_signingKey is required; no built-in default is used.");

            public string A()
            {
                var fromEnv = Environment.GetEnvironmentVariable("SECRET_KEY");
                return string.IsNullOrEmpty(fromEnv) ? throw new InvalidOperationException("SECRET_KEY is required; set the environment variable before starting the application.") : fromEnv;
            }

            public string B(string? token) => token ?? throw new InvalidOperationException("token is required; no built-in default is used.");

            public string C()
            {
                var secretKey = Environment.GetEnvironmentVariable("SECRET_KEY");
                if (string.IsNullOrEmpty(secretKey))
                    throw new InvalidOperationException("SECRET_KEY is required; set the environment variable before starting the application.");
                return secretKey;
            }

            public void D()
            {
                if (_signingKey is null)
                {
                    throw new InvalidOperationException("_signingKey is required; no built-in default is used.");
                }
            }
        }
        """, Key);

    [Fact]
    public Task No_fix_for_an_environment_guarded_assignment() => Verify.VerifyAsync("""
        using System;
        public class Guarded
        {
            public string Load(string environment)
            {
                var secretKey = Environment.GetEnvironmentVariable("SECRET_KEY");
                if (environment != "production")
                {
                    secretKey = {|MCPSEC102:"dev-fallback"|};
                }
                return secretKey ?? throw new InvalidOperationException("SECRET_KEY is required");
            }
        }
        """, """
        using System;
        public class Guarded
        {
            public string Load(string environment)
            {
                var secretKey = Environment.GetEnvironmentVariable("SECRET_KEY");
                if (environment != "production")
                {
                    secretKey = {|MCPSEC102:"dev-fallback"|};
                }
                return secretKey ?? throw new InvalidOperationException("SECRET_KEY is required");
            }
        }
        """, Key);

    [Fact]
    public Task No_fix_inside_an_expression_tree()
    {
        var source = """
            using System;
            using System.Linq.Expressions;
            public class Trees
            {
                public Expression<Func<string?, string>> Key = secret => secret ?? {|MCPSEC102:"dev-key"|};
            }
            """;
        return Verify.VerifyAsync(source, source, Key);
    }
}
