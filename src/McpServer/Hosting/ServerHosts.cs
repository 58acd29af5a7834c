using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using System.Threading.RateLimiting;
using McpSecurity.Server.Engine;
using McpSecurity.Server.Tools;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace McpSecurity.Server.Hosting;

/// <summary>A configuration problem that stops the server before it listens (exit code 2).</summary>
public sealed class StartupException(string message) : Exception(message);

/// <summary>Builds the two MCP hosts: stdio (local child process) and HTTP (network, authenticated).</summary>
public static class ServerHosts
{
    public const string McpPath = "/mcp";

    public const string DefaultUrl = "http://127.0.0.1:5057";

    private const string McpPolicy = "mcp";

    /// <summary>
    /// stdio: stdout is the JSON-RPC channel, so every log line goes to stderr. stdin reaches the SDK
    /// through <see cref="StdioMessageLimit"/>, so one endless line cannot grow memory without bound.
    /// </summary>
    public static IHost BuildStdio(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        LogToStandardError(builder.Logging);
        var settings = AddServices(builder.Services, builder.Configuration);
        var input = new StdioMessageLimit(
            Console.OpenStandardInput(),
            settings.StdioMaxMessageBytes,
            length => Console.Error.WriteLine($"warning: dropped a stdio message of {length} bytes (McpServer:StdioMaxMessageBytes is {settings.StdioMaxMessageBytes})"));
        builder.Services.AddMcpServer()
            .WithStreamServerTransport(input, Console.OpenStandardOutput())
            .WithTools<SecurityTools>()
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolCallGuard.Wrap));
        return builder.Build();
    }

    /// <summary>HTTP: refuses to build without a SECRET_KEY of at least 32 characters.</summary>
    public static WebApplication BuildHttp(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        LogToStandardError(builder.Logging);
        configure?.Invoke(builder);

        if (!SecretKey.TryCreate(builder.Configuration[SecretKey.VariableName], out var key, out var error))
        {
            throw new StartupException(error);
        }

        var settings = AddServices(builder.Services, builder.Configuration);
        var allowedHosts = builder.Configuration["AllowedHosts"];
        // Not configured: the loopback names only, so a rebinding DNS name pointing at 127.0.0.1 gets 400.
        var hosts = string.IsNullOrWhiteSpace(allowedHosts)
            ? ["localhost", "127.0.0.1", "[::1]"]
            : allowedHosts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        builder.Services.Configure<HostFilteringOptions>(options => options.AllowedHosts = hosts);

        // Loopback unless told otherwise: an MCP server that runs programs is not for the open network.
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]) && string.IsNullOrWhiteSpace(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes);

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = settings.Issuer,
                ValidAudience = settings.Audience,
                IssuerSigningKey = key,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = true,
                ValidateIssuerSigningKey = true,
                ClockSkew = TimeSpan.FromSeconds(5),
                NameClaimType = "sub",
            };
        });
        builder.Services.AddAuthorization(options => options.AddPolicy(McpPolicy, policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(context => ToolCallGuard.HasScope(context.User, Scopes.Tools))));
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetFixedWindowLimiter(
                    context.User.FindFirst("sub")?.Value ?? context.Connection.RemoteIpAddress?.ToString() ?? "anonymous",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.RequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

        builder.Services.AddMcpServer()
            .WithHttpTransport(options => options.Stateless = true)
            .WithTools<SecurityTools>()
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolCallGuard.Wrap));

        var app = builder.Build();
        app.UseHostFiltering();
        app.Use((context, next) => CheckOriginAndSize(context, next, settings));
        app.UseAuthentication();
        app.UseRateLimiter();
        app.Use(RequireRunScope);
        app.UseAuthorization();
        app.MapMcp(McpPath).RequireAuthorization(McpPolicy);
        return app;
    }

    private static ServerSettings AddServices(IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ServerSettings.Section).Get<ServerSettings>() ?? new ServerSettings();
        services.AddSingleton(settings);
        services.AddSingleton<CodeEngine>();
        services.AddSingleton<ProgramRunner>();
        return settings;
    }

    private static void LogToStandardError(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    /// <summary>DNS rebinding: a browser page on another origin must not reach a loopback server.</summary>
    private static Task CheckOriginAndSize(HttpContext context, RequestDelegate next, ServerSettings settings)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsAllowedOrigin(origin, settings))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }

        if (context.Request.ContentLength > settings.MaxRequestBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return Task.CompletedTask;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = settings.MaxRequestBodyBytes;
        }

        return next(context);
    }

    /// <summary>Only configured origins: MCP clients that are not browsers send no Origin at all.</summary>
    private static bool IsAllowedOrigin(string origin, ServerSettings settings)
        => settings.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// run_program needs its own scope. Checked on the JSON-RPC body so that the client gets an HTTP 403
    /// with WWW-Authenticate, as for any missing scope; the tool-call filter checks again.
    /// </summary>
    private static async Task RequireRunScope(HttpContext context, RequestDelegate next)
    {
        if (HttpMethods.IsPost(context.Request.Method)
            && context.User.Identity?.IsAuthenticated == true
            && !ToolCallGuard.HasScope(context.User, Scopes.RunProgram))
        {
            context.Request.EnableBuffering();
            var callsRun = false;
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
                callsRun = CallsRunProgram(document.RootElement);
            }
            catch (JsonException)
            {
                // Not JSON: the MCP endpoint rejects it with its own JSON-RPC error.
                callsRun = false;
            }

            context.Request.Body.Position = 0;
            if (callsRun)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{Scopes.RunProgram}\"";
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    }

    private static bool CallsRunProgram(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            return element.EnumerateArray().Any(CallsRunProgram);
        }

        return element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty("method", out var method) && method.ValueEquals("tools/call")
            && element.TryGetProperty("params", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("name", out var name) && name.ValueEquals(Scopes.RunProgramTool);
    }
}
