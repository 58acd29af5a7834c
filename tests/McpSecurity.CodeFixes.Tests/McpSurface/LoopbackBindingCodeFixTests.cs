using McpSecurity.Analyzers.McpSurface;
using McpSecurity.CodeFixes.McpSurface;

namespace McpSecurity.CodeFixes.Tests.McpSurface;

/// <summary>MCPSEC603's fix: listen on loopback.</summary>
public class LoopbackBindingCodeFixTests
{
    private static Task Verify(string source, string fixedSource)
        => McpHostFixTest.Create<NetworkExposureAnalyzer, LoopbackBindingCodeFix>(source, fixedSource, LoopbackBindingCodeFix.EquivalenceKey).RunAsync();

    [Fact]
    public Task Every_listen_call_and_url_literal_binds_loopback() => Verify("""
        using System;
        using System.Net;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;

        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            {|MCPSEC603:kestrel.ListenAnyIP(5000)|};
            {|MCPSEC603:kestrel.ListenAnyIP(5001, listen => { })|};
            kestrel.Listen({|MCPSEC603:IPAddress.Any|}, 5002);
            kestrel.Listen(new IPEndPoint({|MCPSEC603:IPAddress.IPv6Any|}, 5003));
        });
        builder.WebHost.UseUrls({|MCPSEC603:"http://0.0.0.0:5004"|}, "http://localhost:5005", {|MCPSEC603:"https://*:5006/mcp"|});
        builder.WebHost.UseUrls({|MCPSEC603:"http://localhost:5007;http://+:5008;http://[::]:5009"|});
        builder.WebHost.UseSetting("urls", {|MCPSEC603:@"http://mcp.example.com"|});
        Environment.SetEnvironmentVariable("ASPNETCORE_URLS", {|MCPSEC603:"http://0.0.0.0"|});
        var port = 5010;
        var app = builder.Build();
        app.Urls.Add({|MCPSEC603:$"http://0.0.0.0:{port}"|});
        app.Run({|MCPSEC603:"http://*:" + port|});
        """, """
        using System;
        using System.Net;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;

        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenLocalhost(5000);
            kestrel.ListenLocalhost(5001, listen => { });
            kestrel.Listen(IPAddress.Loopback, 5002);
            kestrel.Listen(new IPEndPoint(IPAddress.IPv6Loopback, 5003));
        });
        builder.WebHost.UseUrls("http://127.0.0.1:5004", "http://localhost:5005", "https://localhost:5006/mcp");
        builder.WebHost.UseUrls("http://localhost:5007;http://localhost:5008;http://[::1]:5009");
        builder.WebHost.UseSetting("urls", @"http://localhost");
        Environment.SetEnvironmentVariable("ASPNETCORE_URLS", "http://127.0.0.1");
        var port = 5010;
        var app = builder.Build();
        app.Urls.Add($"http://127.0.0.1:{port}");
        app.Run("http://localhost:" + port);
        """);

    [Fact]
    public Task No_fix_for_cors_or_values_written_elsewhere()
    {
        const string Source = """
            using System.Net;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Hosting;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => {|MCPSEC603:policy.AllowAnyOrigin()|}));
            var any = IPAddress.Any;
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen({|MCPSEC603:any|}, 5000));
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen({|MCPSEC603:IPAddress.Parse("0.0.0.0")|}, 5001));
            var url = "http://0.0.0.0:5002";
            builder.Build().Run({|MCPSEC603:url|});
            """;
        return Verify(Source, Source);
    }
}
