using McpSecurity.Analyzers.McpSurface;
using McpSecurity.Analyzers.Tests.Shared;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.AnalyzerVerifier<McpSecurity.Analyzers.McpSurface.TokenValidationAnalyzer>;

namespace McpSecurity.Analyzers.Tests.McpSurface;

/// <summary>MCPSEC602: TokenValidationParameters weakened.</summary>
public class TokenValidationAnalyzerTests
{
    internal static readonly ReferenceAssemblies IdentityModel = TestReferences.With(
        ("Microsoft.IdentityModel.Tokens", "8.16.0"),
        ("Microsoft.IdentityModel.JsonWebTokens", "8.16.0"));

    private static Task VerifyAsync(string source, params string[] additionalSources)
    {
        var test = Verify.CreateTest(source, additionalSources);
        test.ReferenceAssemblies = IdentityModel;
        return test.RunAsync();
    }

    [Fact]
    public Task Flags_every_validation_flag_set_to_false_in_an_object_initializer() => VerifyAsync("""
        using Microsoft.IdentityModel.Tokens;
        public static class Auth
        {
            public static TokenValidationParameters Parameters(SecurityKey key) => new()
            {
                ValidateIssuerSigningKey = {|MCPSEC602:false|},
                IssuerSigningKey = key,
                ValidateLifetime = {|MCPSEC602:false|},
                ValidateAudience = {|MCPSEC602:false|},
                ValidateIssuer = {|MCPSEC602:false|},
                RequireSignedTokens = {|MCPSEC602:false|},
                RequireExpirationTime = {|MCPSEC602:false|},
            };
        }
        """);

    [Fact]
    public async Task Message_names_the_flag_and_what_gets_through()
    {
        var test = Verify.CreateTest("""
            using Microsoft.IdentityModel.Tokens;
            public static class Auth
            {
                public static TokenValidationParameters Parameters() => new TokenValidationParameters { ValidateLifetime = {|#0:false|} };
            }
            """);
        test.ReferenceAssemblies = IdentityModel;
        test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleCatalog.TokenValidationWeakened).WithLocation(0)
            .WithArguments("'ValidateLifetime' is set to false, so expired and not-yet-valid tokens are accepted"));
        await test.RunAsync();
    }

    [Fact]
    public Task Flags_jwt_bearer_options_in_add_jwt_bearer_configure_and_post_configure() => VerifyAsync("""
        using Microsoft.AspNetCore.Authentication;
        using Microsoft.AspNetCore.Authentication.JwtBearer;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.IdentityModel.Tokens;
        public static class Setup
        {
            public static void Configure(AuthenticationBuilder authentication, IServiceCollection services)
            {
                authentication.AddJwtBearer(options =>
                {
                    options.Audience = "api://mcp";
                    options.TokenValidationParameters.ValidateIssuer = {|MCPSEC602:false|};
                });
                authentication.AddJwtBearer(o => o.TokenValidationParameters = new TokenValidationParameters { ValidateAudience = {|MCPSEC602:false|} });
                services.Configure<JwtBearerOptions>(o => o.TokenValidationParameters.ValidateLifetime = {|MCPSEC602:false|});
                services.PostConfigure<JwtBearerOptions>(o => { o.TokenValidationParameters.RequireSignedTokens = {|MCPSEC602:default|}; });
            }
        }
        """, HostStubs.JwtBearer);

    [Fact]
    public Task Flags_assignments_after_construction_in_a_method_that_builds_the_parameters() => VerifyAsync("""
        using Microsoft.IdentityModel.Tokens;
        public static class Auth
        {
            private const bool Off = false;

            public static TokenValidationParameters Build()
            {
                var parameters = new TokenValidationParameters();
                parameters.ValidateLifetime = {|MCPSEC602:Off|};
                parameters.RequireExpirationTime = {|MCPSEC602:false|};
                return parameters;
            }
        }
        """);

    [Fact]
    public Task Flags_signature_validators_that_return_the_token_unchecked() => VerifyAsync("""
        using Microsoft.IdentityModel.JsonWebTokens;
        using Microsoft.IdentityModel.Tokens;
        public static class Auth
        {
            public static TokenValidationParameters Parameters() => new()
            {
                {|MCPSEC602:SignatureValidator|} = (token, parameters) => new JsonWebToken(token),
            };

            public static void Loosen(TokenValidationParameters parameters)
            {
                {|MCPSEC602:parameters.SignatureValidator|} = delegate (string token, TokenValidationParameters p) { return new JsonWebToken(token); };
                {|MCPSEC602:parameters.AudienceValidator|} = (audiences, token, p) => true;
                {|MCPSEC602:parameters.LifetimeValidator|} = (notBefore, expires, token, p) => { return true; };
                {|MCPSEC602:parameters.IssuerValidator|} = (issuer, token, p) => issuer;
            }
        }
        """);

    [Fact]
    public Task Flags_none_among_the_valid_algorithms() => VerifyAsync("""
        using System.Collections.Generic;
        using Microsoft.IdentityModel.Tokens;
        public static class Auth
        {
            public static TokenValidationParameters Parameters() => new()
            {
                ValidAlgorithms = new[] { SecurityAlgorithms.HmacSha256, {|MCPSEC602:"none"|} },
            };

            public static void Loosen(TokenValidationParameters parameters)
                => parameters.ValidAlgorithms = new List<string> { {|MCPSEC602:"None"|} };
        }
        """);

    [Fact]
    public Task Flags_top_level_statements_partial_classes_and_aliases()
    {
        var test = Verify.CreateTest("""
            using Tvp = Microsoft.IdentityModel.Tokens.TokenValidationParameters;

            var parameters = new Tvp { ValidateIssuer = {|MCPSEC602:false|} };
            System.Console.Error.WriteLine(parameters);

            partial class Auth
            {
                public Tvp Parameters { get; } = new() { ValidateAudience = {|MCPSEC602:false|} };
            }

            partial class Auth
            {
                public void Loosen() => Parameters.ValidateLifetime = {|MCPSEC602:false|};
            }
            """);
        test.ReferenceAssemblies = IdentityModel;
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        return test.RunAsync();
    }

    // ---- Traps ------------------------------------------------------------------------------------

    [Fact]
    public Task Ignores_flags_set_to_true_and_values_that_are_not_constant() => VerifyAsync("""
        using Microsoft.IdentityModel.Tokens;
        public static class Auth
        {
            public static TokenValidationParameters Parameters(bool isDevelopment, string? issuer) => new()
            {
                ValidateIssuerSigningKey = true,
                ValidateLifetime = !isDevelopment,
                ValidateIssuer = !string.IsNullOrEmpty(issuer),
                ValidateAudience = true,
                RequireSignedTokens = true,
                RequireExpirationTime = isDevelopment ? false : true,
            };
        }
        """);

    [Fact]
    public Task Ignores_validators_that_validate_or_may_throw() => VerifyAsync("""
        using System;
        using System.Linq;
        using Microsoft.IdentityModel.JsonWebTokens;
        using Microsoft.IdentityModel.Tokens;
        public static class Auth
        {
            public static void Configure(TokenValidationParameters parameters, JsonWebTokenHandler handler, string[] allowed)
            {
                parameters.AudienceValidator = (audiences, token, p) => audiences.Any(a => allowed.Contains(a));
                parameters.LifetimeValidator = (notBefore, expires, token, p) => expires > DateTime.UtcNow;
                parameters.IssuerValidator = (issuer, token, p) => issuer == "https://login.example" ? issuer : throw new SecurityTokenInvalidIssuerException(issuer);
                parameters.SignatureValidator = (token, p) =>
                {
                    var parsed = new JsonWebToken(token);
                    if (parsed.Alg == "none")
                    {
                        throw new SecurityTokenInvalidSignatureException("unsigned");
                    }

                    return parsed;
                };
                parameters.SignatureValidator = Validate;
            }

            private static SecurityToken Validate(string token, TokenValidationParameters p) => new JsonWebToken(token);
        }
        """);

    [Fact]
    public Task Ignores_other_types_with_the_same_property_names() => VerifyAsync("""
        public sealed class MyValidationOptions
        {
            public bool ValidateLifetime { get; set; }
            public string[] ValidAlgorithms { get; set; } = [];
        }

        public static class Auth
        {
            public static MyValidationOptions Options() => new() { ValidateLifetime = false, ValidAlgorithms = ["none"] };
        }
        """);

    [Fact]
    public Task Ignores_audience_validation_without_a_valid_audience_which_fails_closed() => VerifyAsync("""
        using Microsoft.AspNetCore.Authentication;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.IdentityModel.Tokens;
        public static class Setup
        {
            public static void Configure(AuthenticationBuilder authentication, SecurityKey key)
                => authentication.AddJwtBearer(options =>
                {
                    options.Audience = "api://mcp";
                    options.TokenValidationParameters = new TokenValidationParameters { ValidateAudience = true, IssuerSigningKey = key };
                });
        }
        """, HostStubs.JwtBearer);

    [Fact]
    public Task Ignores_test_projects()
    {
        var test = Verify.CreateTest("""
            using Microsoft.IdentityModel.Tokens;
            namespace Xunit { public sealed class FactAttribute : System.Attribute { } }

            public class TokenTests
            {
                [Xunit.Fact]
                public void Accepts_an_expired_token_when_lifetime_is_off()
                {
                    var parameters = new TokenValidationParameters { ValidateLifetime = false };
                    System.GC.KeepAlive(parameters);
                }
            }
            """);
        test.ReferenceAssemblies = IdentityModel;
        return test.RunAsync();
    }

    [Fact]
    public Task Ignores_generated_code() => VerifyAsync("""
        // <auto-generated/>
        using Microsoft.IdentityModel.Tokens;
        public static class Generated
        {
            public static TokenValidationParameters Parameters() => new() { ValidateLifetime = false };
        }
        """);

    [Fact]
    public Task Does_not_throw_on_code_that_does_not_bind()
        => AnalyzerCrashCheck.NoExceptionsAsync(new TokenValidationAnalyzer(), """
            namespace Microsoft.IdentityModel.Tokens
            {
                public class SecurityToken { }
                public delegate SecurityToken SignatureValidator(string token, TokenValidationParameters parameters);
                public class TokenValidationParameters
                {
                    public bool ValidateLifetime { get; set; }
                    public System.Collections.Generic.IEnumerable<string>? ValidAlgorithms { get; set; }
                    public SignatureValidator? SignatureValidator { get; set; }
                    public SignatureValidator? AudienceValidator { get; set; }
                }
            }
            """, """
            using Microsoft.IdentityModel.Tokens;
            public static class Broken
            {
                public static object P() => new TokenValidationParameters { ValidateLifetime = , Missing = false, SignatureValidator = (a, b) => new Unknown(a) };
                public static void Q(TokenValidationParameters p) { p.ValidAlgorithms = new[] { Undefined, "none" }; p.AudienceValidator = ; }
            }
            """);
}
