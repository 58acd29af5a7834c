using McpSecurity.Analyzers.McpSurface;
using McpSecurity.Analyzers.Tests.Shared;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis.Testing;

namespace McpSecurity.Analyzers.Tests.McpSurface;

/// <summary>MCPSEC601: an MCP endpoint mapped without authorization.</summary>
public class McpEndpointAuthorizationAnalyzerTests
{
    private static Task Verify(string source, params string[] otherFiles) => McpHostTest.Create<McpEndpointAuthorizationAnalyzer>(source, otherFiles).RunAsync();

    [Fact]
    public Task Flags_map_mcp_without_authorization_in_top_level_statements() => Verify("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.Extensions.DependencyInjection;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddMcpServer().WithHttpTransport();
        var app = builder.Build();
        {|MCPSEC601:app.MapMcp()|};
        {|MCPSEC601:app.MapMcp("/mcp")|}.RequireCors("browser");
        app.Run();
        """);

    [Fact]
    public async Task Message_names_the_call_and_says_what_is_missing()
    {
        var test = McpHostTest.Create<McpEndpointAuthorizationAnalyzer>("""
            using Microsoft.AspNetCore.Builder;

            var app = WebApplication.CreateBuilder(args).Build();
            {|#0:app.MapMcp("/mcp")|};
            {|#1:app.MapMcp("/open")|}.AllowAnonymous();
            """);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleCatalog.McpEndpointWithoutAuthorization).WithLocation(0).WithArguments(
            "app.MapMcp(\"/mcp\")",
            "that requires no authorization: any client that reaches it can call its tools; chain '.RequireAuthorization()' or set an authorization fallback policy"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleCatalog.McpEndpointWithoutAuthorization).WithLocation(1).WithArguments(
            "app.MapMcp(\"/open\")",
            "marked AllowAnonymous: it is unauthenticated, any client that reaches it can call its tools; remove AllowAnonymous and require authorization"));
        await test.RunAsync();
    }

    [Fact]
    public Task Ignores_endpoints_that_require_authorization_in_any_chain_shape() => Verify("""
        using Microsoft.AspNetCore.Authorization;
        using Microsoft.AspNetCore.Builder;

        var app = WebApplication.CreateBuilder(args).Build();
        app.MapMcp().RequireAuthorization();
        app.MapMcp("/a").RequireAuthorization("McpPolicy");
        app.MapMcp("/b").RequireCors("browser").RequireAuthorization(new AuthorizeAttribute("p"));
        app.MapMcp("/c").WithMetadata(new AuthorizeAttribute());
        app.MapMcp("/d").WithName("mcp").WithMetadata(new object(), new AuthorizeAttribute("p"));
        (app.MapMcp("/e")).RequireAuthorization();
        """);

    [Fact]
    public Task Ignores_authorization_added_to_the_builder_in_another_statement() => Verify("""
        using Microsoft.AspNetCore.Builder;

        public static class Program
        {
            public static void Main(string[] args)
            {
                var app = WebApplication.CreateBuilder(args).Build();
                var endpoint = app.MapMcp();
                endpoint.RequireAuthorization("p");

                IEndpointConventionBuilder other;
                other = app.MapMcp("/other").RequireCors("c");
                other.RequireAuthorization();
                app.Run();
            }
        }
        """);

    [Fact]
    public Task Flags_a_builder_local_that_is_never_authorized() => Verify("""
        using Microsoft.AspNetCore.Builder;

        var app = WebApplication.CreateBuilder(args).Build();
        var endpoint = {|MCPSEC601:app.MapMcp()|};
        endpoint.RequireCors("browser");
        var protectedEndpoint = app.MapMcp("/p");
        protectedEndpoint.RequireAuthorization();
        """);

    [Fact]
    public Task Ignores_endpoints_in_an_authorized_route_group() => Verify("""
        using Microsoft.AspNetCore.Builder;

        var app = WebApplication.CreateBuilder(args).Build();
        app.MapGroup("/chained").RequireAuthorization().MapMcp();

        var group = app.MapGroup("/group").RequireAuthorization("p");
        group.MapMcp();

        var later = app.MapGroup("/later");
        later.MapMcp();
        later.RequireAuthorization();

        var outer = app.MapGroup("/outer");
        outer.RequireAuthorization();
        var inner = outer.MapGroup("/inner");
        inner.MapMcp();
        """);

    [Fact]
    public Task Flags_endpoints_in_groups_whose_authorization_belongs_to_something_else() => Verify("""
        using System;
        using Microsoft.AspNetCore.Builder;

        var app = WebApplication.CreateBuilder(args).Build();
        var group = app.MapGroup("/g");
        {|MCPSEC601:group.MapMcp("/a")|};
        group.MapMcp("/b").RequireAuthorization();
        group.MapGet("/health", () => "ok").RequireAuthorization();
        group.MapGroup("/nested").RequireAuthorization();
        {|MCPSEC601:app.MapGroup("/plain").WithName("x").MapMcp()|};
        """);

    [Fact]
    public Task Flags_allow_anonymous_even_with_authorization_or_a_fallback_policy() => Verify("""
        using Microsoft.AspNetCore.Authorization;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.Extensions.DependencyInjection;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddAuthorization(o => o.FallbackPolicy = o.DefaultPolicy);
        var app = builder.Build();
        {|MCPSEC601:app.MapMcp()|}.AllowAnonymous();
        {|MCPSEC601:app.MapMcp("/a")|}.RequireAuthorization().AllowAnonymous();
        {|MCPSEC601:app.MapMcp("/b")|}.WithMetadata(new AllowAnonymousAttribute());
        {|MCPSEC601:app.MapGroup("/g").AllowAnonymous().MapMcp()|};
        """);

    [Theory]
    [InlineData("builder.Services.AddAuthorization(options => options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());")]
    [InlineData("builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());")]
    [InlineData("builder.Services.Configure<AuthorizationOptions>(options => { options.FallbackPolicy = options.DefaultPolicy; });")]
    public Task Ignores_map_mcp_when_a_fallback_policy_is_set_in_another_file(string fallback) => Verify(
        """
        using Microsoft.AspNetCore.Builder;

        var app = Startup.Configure(WebApplication.CreateBuilder(args));
        app.MapMcp();
        """,
        $$"""
        using Microsoft.AspNetCore.Authorization;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.Extensions.DependencyInjection;

        public static class Startup
        {
            public static WebApplication Configure(WebApplicationBuilder builder)
            {
                {{fallback}}
                return builder.Build();
            }
        }
        """);

    [Theory]
    [InlineData(0, true)]
    [InlineData(4090, true)]
    [InlineData(4096, true)]
    [InlineData(9000, true)]
    [InlineData(-1, false)]
    public void Finds_the_fallback_word_anywhere_in_a_file_even_across_read_chunks(int position, bool expected)
    {
        var padding = new string('F', position < 0 ? 9000 : position);
        var text = Microsoft.CodeAnalysis.Text.SourceText.From(padding + (position < 0 ? "FallbackPolic y" : "FallbackPolicy") + " = p;");

        Assert.Equal(expected, AuthorizationFallbackPolicy.Contains(text, "FallbackPolicy"));
    }

    [Fact]
    public Task Flags_map_mcp_when_the_fallback_policy_is_null_or_belongs_to_another_type() => Verify(
        """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.Extensions.DependencyInjection;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddAuthorization(options => options.FallbackPolicy = null);
        builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(null);
        new RetrySettings().FallbackPolicy = "retry";
        var app = builder.Build();
        {|MCPSEC601:app.MapMcp()|};

        public sealed class RetrySettings
        {
            public string? FallbackPolicy { get; set; }
        }
        """);

    [Fact]
    public Task Flags_map_mcp_in_the_generic_host_and_in_helpers() => Verify("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.AspNetCore.Routing;
        using Microsoft.Extensions.Hosting;

        public static class Program
        {
            public static void Main(string[] args)
                => Host.CreateDefaultBuilder(args)
                    .ConfigureWebHostDefaults(web => web.Configure(app => app.UseRouting().UseEndpoints(e => {|MCPSEC601:e.MapMcp()|})))
                    .Build()
                    .Run();

            public static IEndpointRouteBuilder MapTools(this IEndpointRouteBuilder endpoints)
            {
                {|MCPSEC601:endpoints.MapMcp("/tools")|};
                return endpoints;
            }
        }
        """);

    // microsoft/mcp's auth-disabled host and aspose-mcp-server: the application (not the endpoint) is
    // returned, stored and handed to helpers; that says nothing about the endpoint's authorization.
    [Fact]
    public Task Flags_map_mcp_when_the_application_is_returned_or_handed_to_helpers() => Verify("""
        using Microsoft.AspNetCore.Builder;

        public sealed class Hosts
        {
            private WebApplication? last;

            public WebApplication CreateHost(string[] args)
            {
                var app = WebApplication.CreateBuilder(args).Build();
                ConfigureMiddleware(app);
                {|MCPSEC601:app.MapMcp()|};
                last = app;
                return app;
            }

            private static void ConfigureMiddleware(WebApplication app) => app.UseAuthorization();
        }
        """);

    [Fact]
    public Task Ignores_builders_handed_to_code_that_can_add_authorization() => Verify("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Routing;

        public static class Endpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapMcp("/a").RequireMcpScopes();
                Secure(app.MapMcp("/b"));
                app.MapMcp("/c").Add(endpoint => endpoint.Metadata.Add(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute()));
            }

            // Returned: the caller chains the conventions.
            public static IEndpointConventionBuilder MapTools(this IEndpointRouteBuilder endpoints) => endpoints.MapMcp("/tools");

            public static TBuilder RequireMcpScopes<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder => builder.RequireAuthorization("mcp");

            private static void Secure(IEndpointConventionBuilder builder) => builder.RequireAuthorization();
        }
        """);

    [Fact]
    public Task Ignores_map_mcp_of_other_types_and_compilations_without_the_sdk() => AnalyzerVerifier<McpEndpointAuthorizationAnalyzer>.VerifyAsync("""
        public interface IRoutes { }

        public static class DabEndpoints
        {
            public static IRoutes MapMcp(this IRoutes routes, string path = "") => routes;

            public static void Map(IRoutes routes) => routes.MapMcp("/mcp");
        }
        """);

    [Fact]
    public Task Flags_static_calls_aliases_global_usings_and_partial_classes() => Verify(
        """
        using Mcp = Microsoft.AspNetCore.Builder.McpEndpointRouteBuilderExtensions;

        public static partial class Hosting
        {
            public static void MapStatic(Microsoft.AspNetCore.Builder.WebApplication app) => {|MCPSEC601:Mcp.MapMcp(app, "/static")|};
        }
        """,
        """
        global using Microsoft.AspNetCore.Builder;
        """,
        """
        public static partial class Hosting
        {
            public static void MapGlobal(WebApplication app)
            {
                {|MCPSEC601:app.MapMcp("/global")|};
                Microsoft.AspNetCore.Builder.McpEndpointRouteBuilderExtensions.MapMcp(app, "/secured").RequireAuthorization();
            }
        }
        """);

    [Fact]
    public Task Ignores_test_projects() => Verify("""
        using Microsoft.AspNetCore.Builder;

        public sealed class MapMcpTests
        {
            [Xunit.Fact]
            public void Serves_tools()
            {
                var app = WebApplication.CreateBuilder().Build();
                app.MapMcp();
            }
        }
        """, """
        namespace Xunit
        {
            public sealed class FactAttribute : System.Attribute { }
        }
        """);

    [Fact]
    public Task Ignores_generated_code() => Verify("""
        // <auto-generated/>
        using Microsoft.AspNetCore.Builder;

        public static class Generated
        {
            public static void Map(WebApplication app) => app.MapMcp();
        }
        """);

    [Fact]
    public Task Partial_code_does_not_throw() => AnalyzerCrashCheck.NoExceptionsAsync(
        new McpEndpointAuthorizationAnalyzer(),
        McpHostStubs.Source,
        """
        using Microsoft.AspNetCore.Builder;
        var app = WebApplication.CreateBuilder(args).Build();
        app.MapMcp(
        var g = app.MapGroup().;
        g.MapMcp().RequireAuthorization(Unknown.Policy
        Missing.MapMcp();
        app.MapMcp().WithMetadata(new NotAType());
        options.FallbackPolicy = ;
        """);
}
