using McpSecurity.Analyzers.McpSurface;
using McpSecurity.Analyzers.Tests.Shared;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis.Testing;

namespace McpSecurity.Analyzers.Tests.McpSurface;

/// <summary>MCPSEC603: an MCP server listening on every interface, or allowing any CORS origin.</summary>
public class NetworkExposureAnalyzerTests
{
    private static Task Verify(string source, params string[] otherFiles) => McpHostTest.Create<NetworkExposureAnalyzer>(source, otherFiles).RunAsync();

    [Fact]
    public Task Flags_kestrel_listen_calls_on_every_interface() => Verify("""
        using System.Net;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;

        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            {|MCPSEC603:kestrel.ListenAnyIP(5000)|};
            {|MCPSEC603:kestrel.ListenAnyIP(5001, listen => { })|};
            kestrel.Listen({|MCPSEC603:IPAddress.Any|}, 5002);
            kestrel.Listen({|MCPSEC603:IPAddress.IPv6Any|}, 5003, listen => { });
            kestrel.Listen(new IPEndPoint({|MCPSEC603:IPAddress.Any|}, 5004));
            kestrel.Listen({|MCPSEC603:IPAddress.Parse("0.0.0.0")|}, 5005);
            var any = IPAddress.Any;
            kestrel.Listen({|MCPSEC603:any|}, 5006);
        });
        """);

    [Fact]
    public Task Flags_wildcard_urls_where_the_host_binds_them() => Verify("""
        using System;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;

        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.UseUrls({|MCPSEC603:"http://0.0.0.0:5000"|});
        builder.WebHost.UseUrls("http://localhost:5000", {|MCPSEC603:"http://*:5001"|});
        builder.WebHost.UseUrls({|MCPSEC603:"http://localhost:5000;http://+:5002"|});
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, {|MCPSEC603:"http://[::]:5003"|});
        builder.WebHost.UseSetting("URLS", {|MCPSEC603:"https://mcp.example.com:5004"|});
        builder.Configuration["urls"] = {|MCPSEC603:"http://0.0.0.0:5005"|};
        Environment.SetEnvironmentVariable("ASPNETCORE_URLS", {|MCPSEC603:"http://+:5006"|});
        var port = 5007;
        var app = builder.Build();
        app.Urls.Add({|MCPSEC603:$"http://0.0.0.0:{port}"|});
        app.Urls.Add({|MCPSEC603:"http://*:" + port|});
        var url = "http://0.0.0.0:5008";
        await app.RunAsync({|MCPSEC603:url|});
        app.Run({|MCPSEC603:"http://0.0.0.0:5009"|});
        """);

    [Fact]
    public async Task Message_names_the_value_and_the_host()
    {
        var test = McpHostTest.Create<NetworkExposureAnalyzer>("""
            using Microsoft.AspNetCore.Builder;

            var app = WebApplication.CreateBuilder(args).Build();
            app.Run({|#0:"http://0.0.0.0:8080"|});
            """);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleCatalog.ListeningOnAllInterfacesOrAnyOrigin).WithLocation(0).WithArguments(
            "\"http://0.0.0.0:8080\"",
            "binds every network interface (host '0.0.0.0'), so any host on the network can call the MCP server's tools; listen on loopback (ListenLocalhost, 127.0.0.1, localhost) and let a proxy that authenticates face the network"));
        await test.RunAsync();
    }

    [Fact]
    public Task Flags_cors_policies_that_allow_any_origin() => Verify("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.Extensions.DependencyInjection;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddCors(cors =>
        {
            cors.AddPolicy("browser", policy => {|MCPSEC603:policy.AllowAnyOrigin()|}.AllowAnyHeader());
            cors.AddPolicy("star", policy => {|MCPSEC603:policy.WithOrigins("*")|});
            cors.AddDefaultPolicy(policy => {|MCPSEC603:policy.SetIsOriginAllowed(_ => true)|});
            cors.AddPolicy("block", policy => {|MCPSEC603:policy.SetIsOriginAllowed(origin => { return true; })|});
        });
        var app = builder.Build();
        app.UseCors(policy => {|MCPSEC603:policy.AllowAnyOrigin()|});
        """);

    [Fact]
    public Task Ignores_loopback_and_specific_addresses() => Verify("""
        using System.Net;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;

        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.UseUrls("http://localhost:5000", "http://127.0.0.1:5001", "http://[::1]:5002", "https://LOCALHOST:5003", "http://10.0.0.5:5004");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenLocalhost(5005);
            kestrel.Listen(IPAddress.Loopback, 5006);
            kestrel.Listen(IPAddress.IPv6Loopback, 5007);
            kestrel.Listen(new IPEndPoint(IPAddress.Parse("127.0.0.1"), 5008));
        });
        var app = builder.Build();
        app.Run("http://127.0.0.1:5009");
        """);

    [Fact]
    public Task Ignores_urls_the_deployment_chooses_and_urls_that_are_not_bound() => Verify("""
        using System;
        using System.Net.Http;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.Extensions.Logging;

        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.UseUrls(builder.Configuration["Urls"] ?? "http://localhost:5000");
        builder.WebHost.UseUrls(Environment.GetEnvironmentVariable("MCP_URLS")!);
        var host = args[0];
        builder.WebHost.UseUrls($"http://{host}:5001");
        builder.WebHost.UseSetting("environment", "http://0.0.0.0:5002");
        Environment.SetEnvironmentVariable("PUBLIC_URL", "http://0.0.0.0:5003");
        builder.Configuration["PublicUrl"] = "http://0.0.0.0:5004";
        var client = new HttpClient { BaseAddress = new Uri("http://0.0.0.0:5005") };
        const string Help = "Run with --urls http://0.0.0.0:5006 to listen on the network.";
        Console.WriteLine(Help);
        var app = builder.Build();
        app.Run();
        """);

    [Fact]
    public Task Ignores_listen_calls_that_translate_a_configured_wildcard_host() => Verify("""
        using System.Net;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;

        public static class Hosting
        {
            public static void Configure(WebApplicationBuilder builder, string host, int port)
            {
                builder.WebHost.ConfigureKestrel(options =>
                {
                    if (host == "localhost")
                        options.ListenLocalhost(port);
                    else if (host == "0.0.0.0" || host == "*")
                        options.ListenAnyIP(port);
                    else if (host is "::")
                        options.Listen(IPAddress.IPv6Any, port);
                    else
                        options.Listen(IPAddress.Parse(host), port);
                });
                builder.WebHost.ConfigureKestrel(options =>
                {
                    if (host == "localhost")
                        options.ListenLocalhost(port);
                    else
                        {|MCPSEC603:options.ListenAnyIP(port)|};
                });
            }
        }
        """);

    [Fact]
    public Task Ignores_cors_policies_with_listed_origins() => Verify("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.Extensions.DependencyInjection;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddCors(cors =>
        {
            cors.AddPolicy("browser", policy => policy.WithOrigins("http://localhost:6274", "https://app.example.com"));
            cors.AddPolicy("checked", policy => policy.SetIsOriginAllowed(origin => new System.Uri(origin).IsLoopback));
            cors.AddPolicy("false", policy => policy.SetIsOriginAllowed(_ => false));
        });
        """);

    [Fact]
    public Task Ignores_compilations_that_do_not_serve_mcp_over_http() => AnalyzerVerifier<NetworkExposureAnalyzer>.VerifyAsync("""
        namespace Microsoft.AspNetCore.Server.Kestrel.Core
        {
            public class KestrelServerOptions
            {
                public void ListenAnyIP(int port) { }
            }
        }

        public static class WebApi
        {
            // A container's web API binds every interface on purpose; only MCP servers are checked.
            public static void Configure(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel) => kestrel.ListenAnyIP(8080);
        }
        """);

    [Fact]
    public Task Flags_aliases_static_calls_and_expression_bodies() => Verify("""
        using Ip = System.Net.IPAddress;
        using Kestrel = Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions;
        using Hosting = Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions;

        public static partial class Listening
        {
            public static void Any(Kestrel kestrel) => kestrel.Listen({|MCPSEC603:Ip.Any|}, 5000);

            public static void Urls(Microsoft.AspNetCore.Hosting.IWebHostBuilder web) => Hosting.UseUrls(web, {|MCPSEC603:"http://+:5001"|});
        }
        """);

    [Fact]
    public Task Ignores_test_projects() => Verify("""
        using Microsoft.AspNetCore.Builder;

        public sealed class HostTests
        {
            [NUnit.Framework.Test]
            public void Starts() => WebApplication.CreateBuilder().Build().Run("http://0.0.0.0:5000");
        }
        """, """
        namespace NUnit.Framework
        {
            public sealed class TestAttribute : System.Attribute { }
        }
        """);

    [Fact]
    public Task Flags_the_generic_host_and_main() => Verify("""
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.Extensions.Hosting;

        public static class Program
        {
            public static void Main(string[] args)
                => Host.CreateDefaultBuilder(args)
                    .ConfigureWebHostDefaults(web => web
                        .UseUrls({|MCPSEC603:"http://*:8080"|})
                        .UseKestrel(kestrel => {|MCPSEC603:kestrel.ListenAnyIP(8081)|}))
                    .Build()
                    .Run();
        }
        """);

    [Fact]
    public Task Partial_code_does_not_throw() => AnalyzerCrashCheck.NoExceptionsAsync(
        new NetworkExposureAnalyzer(),
        McpHostStubs.Source,
        """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.UseUrls(
        builder.WebHost.UseUrls("http://", "://", "http://[", "http://[::", "", ";;", $"http://{");
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Any, ));
        builder.WebHost.ConfigureKestrel(k => k.Listen(new IPEndPoint()));
        builder.WebHost.UseSetting("urls");
        builder.Configuration[] = "http://0.0.0.0";
        var app = builder.Build();
        app.Run(Unknown.Url);
        app.Urls.Add(
        """);
}
