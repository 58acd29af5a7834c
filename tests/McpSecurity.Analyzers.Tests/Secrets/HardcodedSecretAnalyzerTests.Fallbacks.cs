using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.AnalyzerVerifier<McpSecurity.Analyzers.Secrets.HardcodedSecretAnalyzer>;

namespace McpSecurity.Analyzers.Tests.Secrets;

/// <summary>MCPSEC102: insecure fallbacks for secrets.</summary>
public partial class HardcodedSecretAnalyzerTests
{
    /// <summary>IWebHostEnvironment.IsDevelopment() without the ASP.NET Core packages: recognised by name.</summary>
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

    [Fact]
    public Task Flags_the_getenv_fallback_of_the_second_api() => Verify.VerifyAsync("""
        using System;
        public static class JwtConfig
        {
            public static readonly string SecretKey =
                Environment.GetEnvironmentVariable("JWT_SECRET_KEY") ?? {|MCPSEC102:"dev-secret-key-change-in-production"|};
        }
        """);

    [Fact]
    public Task Flags_the_dev_fallback_regression_when_environment_is_not_production() => Verify.VerifyAsync("""
        using System;
        public static class Settings
        {
            public static string LoadSecretKey()
            {
                var environment = Environment.GetEnvironmentVariable("ENVIRONMENT") ?? "development";
                var key = environment != "production"
                    ? {|MCPSEC102:"dev-fallback-key-NOT-for-production"|}
                    : Environment.GetEnvironmentVariable("SECRET_KEY");
                return key!;
            }

            public static string Inline() =>
                Environment.GetEnvironmentVariable("ENVIRONMENT") != "production"
                    ? {|MCPSEC102:"dev-fallback-key-NOT-for-production"|}
                    : Environment.GetEnvironmentVariable("SECRET_KEY") ?? throw new InvalidOperationException("SECRET_KEY is required");
        }
        """);

    [Fact]
    public Task Flags_is_development_conditionals() => VerifyWith(SecretTestReferences.Configuration, """
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.Extensions.Configuration;
        public class Startup
        {
            public string SigningKey(IWebHostEnvironment env, IConfiguration config)
                => env.IsDevelopment() ? {|MCPSEC102:"dev-key-0123456789"|} : config["Jwt:Key"]!;

            public string Other(IWebHostEnvironment env, IConfiguration config)
                => !env.IsDevelopment() ? config["Jwt:Key"]! : {|MCPSEC102:"dev-key-0123456789"|};
        }
        """, HostingStubs);

    [Fact]
    public Task Flags_configuration_reads_with_literal_defaults() => VerifyWith(SecretTestReferences.Configuration, """
        using Microsoft.Extensions.Configuration;
        public class Reads
        {
            public void M(IConfiguration config)
            {
                var a = config["Jwt:Key"] ?? {|MCPSEC102:"a-dev-key"|};
                var b = config.GetValue<string>("Jwt:Key", {|MCPSEC102:"b-dev-key"|});
                var c = config.GetValue("Jwt:SigningKey", {|MCPSEC102:"c-dev-key"|});
                var d = config.GetValue<string>(key: "ApiKeys:OpenAI", defaultValue: {|MCPSEC102:"d-dev-key"|});
                var e = config.GetSection("Jwt")["Key"] ?? {|MCPSEC102:"e-dev-key"|};
                var f = config.GetSection("Jwt").GetSection("Key").Value ?? {|MCPSEC102:"f-dev-key"|};
                var g = ConfigurationBinder.GetValue<string>(config, "Smtp:Password", {|MCPSEC102:"g-dev-key"|});
            }
        }
        """);

    [Fact]
    public Task Flags_null_and_empty_checks_that_fall_back() => Verify.VerifyAsync("""
        using System;
        public class Checks
        {
            public string A()
            {
                var fromEnv = Environment.GetEnvironmentVariable("SECRET_KEY");
                return string.IsNullOrEmpty(fromEnv) ? {|MCPSEC102:"dev-a"|} : fromEnv;
            }
            public string B(string? token) => token is null ? {|MCPSEC102:"dev-b"|} : token;
            public string C(string? token) => token == null ? {|MCPSEC102:"dev-c"|} : token;
            public string D(string? token) => !string.IsNullOrWhiteSpace(token) ? token : {|MCPSEC102:"dev-d"|};
            public string E(string? token) => token is not null ? token : {|MCPSEC102:"dev-e"|};
            public string F(string? token) => token == null || token.Length == 0 ? {|MCPSEC102:"dev-f"|} : token;
        }
        """);

    [Fact]
    public Task Flags_coalescing_assignments_and_guarded_assignments() => Verify.VerifyAsync("""
        using System;
        public class Assignments
        {
            private string? _signingKey;
            public string SigningKey => _signingKey ??= {|MCPSEC102:"dev-signing-key"|};

            public string Load()
            {
                var secretKey = Environment.GetEnvironmentVariable("SECRET_KEY");
                if (string.IsNullOrEmpty(secretKey))
                    secretKey = {|MCPSEC102:"dev-secret"|};
                return secretKey;
            }

            public string LoadBlock()
            {
                var fromEnvironment = Environment.GetEnvironmentVariable("API_TOKEN");
                if (fromEnvironment is null)
                {
                    Console.Error.WriteLine("API_TOKEN missing, using the development token");
                    fromEnvironment = {|MCPSEC102:"dev-token"|};
                }
                return fromEnvironment;
            }

            public string LoadForEnvironment(string environment)
            {
                var secretKey = Environment.GetEnvironmentVariable("SECRET_KEY");
                if (environment != "production")
                {
                    secretKey = {|MCPSEC102:"dev-fallback"|};
                }
                return secretKey ?? throw new InvalidOperationException("SECRET_KEY is required");
            }
        }
        """);

    [Fact]
    public Task Flags_fallbacks_named_by_the_target_or_the_member() => VerifyWith(SecretTestReferences.Configuration, """
        using System;
        using Microsoft.Extensions.Configuration;
        public class Options { public string? ApiKey { get; set; } }
        public class Targets
        {
            public string SecretKey { get; }
            public string Token { get; }
            public Targets(IConfiguration config, Options options)
            {
                SecretKey = config["Auth:Value"] ?? {|MCPSEC102:"dev-a"|};
                Token = Environment.GetEnvironmentVariable("A") ?? Environment.GetEnvironmentVariable("B") ?? {|MCPSEC102:"dev-b"|};
                var key = options.ApiKey ?? {|MCPSEC102:"dev-c"|};
            }
        }
        """);

    [Fact]
    public Task Fallback_message_names_the_variable_and_when_the_fallback_is_used()
    {
        var test = Verify.CreateTest("""
            class C
            {
                string Key = System.Environment.GetEnvironmentVariable("JWT_SECRET_KEY") ?? "dev";
            }
            """);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleCatalog.InsecureSecretFallback)
            .WithSpan(3, 81, 3, 86)
            .WithArguments("JWT_SECRET_KEY", "the environment variable is not set"));
        return test.RunAsync();
    }

    // ---- MCPSEC102: false-positive traps ----------------------------------------------------------

    [Fact]
    public Task Ignores_fallbacks_for_values_that_are_not_secrets() => VerifyWith(SecretTestReferences.Configuration, """
        using System;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.Extensions.Configuration;
        public class Plain
        {
            public void M(IConfiguration config, IWebHostEnvironment env)
            {
                var port = Environment.GetEnvironmentVariable("PORT") ?? "8080";
                var level = config["Logging:Level"] ?? "Information";
                var issuer = config.GetValue<string>("Jwt:Issuer", "mcp-server");
                var keyFile = Environment.GetEnvironmentVariable("SECRET_KEY_FILE") ?? "/run/secrets/key";
                var keyId = config["Jwt:KeyId"] ?? "default";
                var verbosity = env.IsDevelopment() ? "Debug" : "Information";
                var url = string.IsNullOrEmpty(config["Url"]) ? "http://localhost:5000" : config["Url"];
            }
        }
        """, HostingStubs);

    [Fact]
    public Task Ignores_fallbacks_that_fail_or_are_empty() => VerifyWith(SecretTestReferences.Configuration, """
        using System;
        using Microsoft.Extensions.Configuration;
        public class Strict
        {
            public void M(IConfiguration config)
            {
                var a = Environment.GetEnvironmentVariable("SECRET_KEY") ?? throw new InvalidOperationException("SECRET_KEY is required");
                var b = config["Jwt:Key"] ?? "";
                var c = config["Jwt:Key"] ?? string.Empty;
                var d = config.GetValue<string>("Jwt:Key", "");
                var e = config["Jwt:Key"] ?? config["Jwt:LegacyKey"];
            }
        }
        """);
}
