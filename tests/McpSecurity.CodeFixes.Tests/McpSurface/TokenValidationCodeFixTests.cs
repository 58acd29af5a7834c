using McpSecurity.CodeFixes.McpSurface;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.CodeFixVerifier<
    McpSecurity.Analyzers.McpSurface.TokenValidationAnalyzer,
    McpSecurity.CodeFixes.McpSurface.TokenValidationCodeFix>;

namespace McpSecurity.CodeFixes.Tests.McpSurface;

/// <summary>MCPSEC602's fix: the validation flag back to true.</summary>
public class TokenValidationCodeFixTests
{
    private static readonly ReferenceAssemblies IdentityModel = TestReferences.With(
        ("Microsoft.IdentityModel.Tokens", "8.16.0"),
        ("Microsoft.IdentityModel.JsonWebTokens", "8.16.0"));

    private static Task VerifyAsync(string source, string fixedSource, params string[] additionalSources)
    {
        var test = Verify.CreateTest(source, fixedSource, TokenValidationCodeFix.EquivalenceKey, additionalSources);
        test.ReferenceAssemblies = IdentityModel;
        return test.RunAsync();
    }

    [Fact]
    public Task Fix_all_turns_every_flag_back_on_in_initializers_lambdas_and_assignments() => VerifyAsync("""
        using Microsoft.AspNetCore.Authentication;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.IdentityModel.Tokens;
        public static class Setup
        {
            public static void Configure(AuthenticationBuilder authentication, SecurityKey key)
            {
                authentication.AddJwtBearer(options =>
                {
                    options.Audience = "api://mcp";
                    options.TokenValidationParameters = new TokenValidationParameters
                    {
                        ValidateIssuer = {|MCPSEC602:false|},
                        ValidateAudience = {|MCPSEC602:false|}, // set by Audience above
                        ValidateLifetime = {|MCPSEC602:default|},
                        ValidateIssuerSigningKey = {|MCPSEC602:false|},
                        IssuerSigningKey = key,
                    };
                    options.TokenValidationParameters.RequireSignedTokens = {|MCPSEC602:default(bool)|};
                    options.TokenValidationParameters.RequireExpirationTime = {|MCPSEC602:false|};
                });
            }
        }
        """, """
        using Microsoft.AspNetCore.Authentication;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.IdentityModel.Tokens;
        public static class Setup
        {
            public static void Configure(AuthenticationBuilder authentication, SecurityKey key)
            {
                authentication.AddJwtBearer(options =>
                {
                    options.Audience = "api://mcp";
                    options.TokenValidationParameters = new TokenValidationParameters
                    {
                        ValidateIssuer = true,
                        ValidateAudience = true, // set by Audience above
                        ValidateLifetime = true,
                        ValidateIssuerSigningKey = true,
                        IssuerSigningKey = key,
                    };
                    options.TokenValidationParameters.RequireSignedTokens = true;
                    options.TokenValidationParameters.RequireExpirationTime = true;
                });
            }
        }
        """, HostStubs.JwtBearer);

    [Fact]
    public async Task Offers_no_fix_for_validators_none_or_named_constants()
    {
        const string Source = """
            using Microsoft.IdentityModel.JsonWebTokens;
            using Microsoft.IdentityModel.Tokens;
            public static class Auth
            {
                private const bool Off = false;

                public static TokenValidationParameters Parameters() => new()
                {
                    ValidateLifetime = {|MCPSEC602:Off|},
                    {|MCPSEC602:SignatureValidator|} = (token, p) => new JsonWebToken(token),
                    ValidAlgorithms = [{|MCPSEC602:"none"|}],
                };
            }
            """;
        var test = Verify.CreateTest(Source, Source, TokenValidationCodeFix.EquivalenceKey);
        test.ReferenceAssemblies = IdentityModel;
        await test.RunAsync();
    }
}
