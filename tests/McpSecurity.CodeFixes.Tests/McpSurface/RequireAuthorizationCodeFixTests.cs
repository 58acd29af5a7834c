using McpSecurity.Analyzers.McpSurface;
using McpSecurity.CodeFixes.McpSurface;

namespace McpSecurity.CodeFixes.Tests.McpSurface;

/// <summary>MCPSEC601's fix: RequireAuthorization() right after MapMcp(...).</summary>
public class RequireAuthorizationCodeFixTests
{
    private static Task Verify(string source, string fixedSource)
        => McpHostFixTest.Create<McpEndpointAuthorizationAnalyzer, RequireAuthorizationCodeFix>(source, fixedSource, RequireAuthorizationCodeFix.EquivalenceKey).RunAsync();

    [Fact]
    public Task Every_unprotected_endpoint_gets_require_authorization_and_the_chain_keeps_binding() => Verify("""
        using Microsoft.AspNetCore.Builder;

        var app = WebApplication.CreateBuilder(args).Build();
        {|MCPSEC601:app.MapMcp()|};
        {|MCPSEC601:app.MapMcp("/mcp")|}.RequireCors("browser");
        var endpoint = {|MCPSEC601:app
            .MapMcp("/split")|};
        endpoint.WithName("split");
        app.UseEndpoints(e => {|MCPSEC601:e.MapMcp("/generic")|});
        app.Run();
        """, """
        using Microsoft.AspNetCore.Builder;

        var app = WebApplication.CreateBuilder(args).Build();
        app.MapMcp().RequireAuthorization();
        app.MapMcp("/mcp").RequireAuthorization().RequireCors("browser");
        var endpoint = app
            .MapMcp("/split").RequireAuthorization();
        endpoint.WithName("split");
        app.UseEndpoints(e => e.MapMcp("/generic").RequireAuthorization());
        app.Run();
        """);

    [Fact]
    public Task Fixes_map_mcp_in_main_and_in_group_chains() => Verify("""
        using Microsoft.AspNetCore.Builder;

        public static class Program
        {
            public static void Main(string[] args)
            {
                var app = WebApplication.CreateBuilder(args).Build();
                {|MCPSEC601:app.MapGroup("/tools").MapMcp()|};
                app.Run();
            }
        }
        """, """
        using Microsoft.AspNetCore.Builder;

        public static class Program
        {
            public static void Main(string[] args)
            {
                var app = WebApplication.CreateBuilder(args).Build();
                app.MapGroup("/tools").MapMcp().RequireAuthorization();
                app.Run();
            }
        }
        """);

    [Fact]
    public Task No_fix_for_an_endpoint_marked_allow_anonymous()
    {
        const string Source = """
            using Microsoft.AspNetCore.Builder;

            var app = WebApplication.CreateBuilder(args).Build();
            {|MCPSEC601:app.MapMcp()|}.AllowAnonymous();
            """;
        return Verify(Source, Source);
    }
}
