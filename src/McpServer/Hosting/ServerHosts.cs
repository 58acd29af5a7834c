using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
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
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using ModelContextProtocol.AspNetCore.Authentication;
using ModelContextProtocol.Authentication;

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
        LoggingDefaults.AddTo(builder.Configuration);
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

    /// <summary>
    /// HTTP: refuses to build without a signing key of at least 32 characters. The key comes in as
    /// <paramref name="secretKey"/> (from <see cref="SecretKey.TakeFromEnvironment"/>), never from
    /// configuration: a key on the command line is visible to every user in ps, one in a settings file is a
    /// hardcoded secret (guide S1), and both are refused.
    /// </summary>
    public static WebApplication BuildHttp(string[] args, string? secretKey, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        LoggingDefaults.AddTo(builder.Configuration);
        LogToStandardError(builder.Logging);
        configure?.Invoke(builder);

        RefuseKeyInConfiguration(builder.Configuration);
        if (!SecretKey.TryCreate(secretKey, out var key, out var error))
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

        // JWTs authenticate; the SDK's MCP scheme answers challenges, so a 401 names the protected-resource
        // metadata (RFC 9728) a client reads to learn how to authenticate, served at
        // /.well-known/oauth-protected-resource/mcp.
        builder.Services.AddAuthentication(options =>
        {
            options.DefaultScheme = JwtBearerDefaults.AuthenticationScheme;
            options.DefaultChallengeScheme = McpAuthenticationDefaults.AuthenticationScheme;
        })
        .AddJwtBearer(options =>
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
            // Same validation, done once per distinct token (see CachingJsonWebTokenHandler).
            options.TokenHandlers.Clear();
            options.TokenHandlers.Add(new CachingJsonWebTokenHandler { MapInboundClaims = false });
        })
        .AddMcp(options => options.ResourceMetadata = new ProtectedResourceMetadata
        {
            AuthorizationServers = [.. settings.AuthorizationServers],
            ScopesSupported = [Scopes.Tools, Scopes.RunProgram],
            BearerMethodsSupported = ["header"],
            ResourceName = "McpSecurity MCP server",
        });
        builder.Services.AddAuthorization(options =>
        {
            options.AddPolicy(McpPolicy, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => ToolCallGuard.HasScope(context.User, Scopes.Tools)));
            // Named by the [Authorize] on run_program: the SDK's filter hides the tool from tokens without it.
            options.AddPolicy(Scopes.RunProgram, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => ToolCallGuard.HasScope(context.User, Scopes.RunProgram)));
        });
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, cancellationToken) =>
            {
                // Clients back off by Retry-After; without it they retry at once and stay limited.
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(JsonRpcErrors.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, JsonRpcErrors.RateLimited, $"Too many requests; retry after {seconds} s."));
            };
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetFixedWindowLimiter(
                    context.User.FindFirst("sub")?.Value ?? context.Connection.RemoteIpAddress?.ToString() ?? "anonymous",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.RequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

        builder.Services.AddMcpServer()
            .WithHttpTransport(options => options.SessionMode = settings.HttpSessionMode)
            .WithTools<SecurityTools>()
            .AddAuthorizationFilters()
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolCallGuard.Wrap));

        var loopbackOnly = settings.AllowLoopbackOrigins && IsBoundToLoopbackOnly(builder.Configuration);
        var app = builder.Build();
        app.UseHostFiltering();
        app.Use(JsonRpcErrors.MapBadInput);
        app.Use((context, next) => CheckOriginAndSize(context, next, settings, loopbackOnly));
        app.UseAuthentication();
        app.UseRateLimiter();
        app.Use(RunProgramScope.Require);
        app.UseAuthorization();
        app.MapMcp(McpPath).RequireAuthorization(McpPolicy);
        return app;
    }

    private static void RefuseKeyInConfiguration(IConfigurationRoot configuration)
    {
        foreach (var provider in configuration.Providers)
        {
            // The environment is where the key belongs; the serve command has already taken it from there.
            if (provider is not EnvironmentVariablesConfigurationProvider && provider.TryGet(SecretKey.VariableName, out _))
            {
                throw new StartupException(provider is CommandLineConfigurationProvider
                    ? SecretKey.OnCommandLineError
                    : $"{SecretKey.VariableName} was given in configuration ({provider}): a key in a settings file is a hardcoded secret. Give it only as an environment variable: export {SecretKey.VariableName}=<key>. {SecretKey.HowToGenerate}.");
            }
        }
    }

    private static ServerSettings AddServices(IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ServerSettings.Section).Get<ServerSettings>() ?? new ServerSettings();
        services.AddSingleton(settings);
        services.AddSingleton<ScanWorkerPool>();
        services.AddSingleton<IScanExecutor>(provider => provider.GetRequiredService<ScanWorkerPool>());
        services.AddSingleton<ProgramRunner>();
        return settings;
    }

    private static void LogToStandardError(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    /// <summary>DNS rebinding: a browser page on another origin must not reach a loopback server.</summary>
    private static Task CheckOriginAndSize(HttpContext context, RequestDelegate next, ServerSettings settings, bool allowLoopbackOrigins)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsAllowedOrigin(origin, settings, allowLoopbackOrigins))
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

    /// <summary>
    /// Configured origins, and on a loopback-only server the loopback ones (a local inspector or browser
    /// client at http://localhost:6274 is the same machine); any other origin is a web page the user
    /// happened to open. MCP clients that are not browsers send no Origin at all.
    /// </summary>
    private static bool IsAllowedOrigin(string origin, ServerSettings settings, bool allowLoopbackOrigins)
        => settings.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase)
            || (allowLoopbackOrigins && IsLoopbackOrigin(origin));

    /// <summary>scheme://host[:port] and nothing more, with a loopback host: 'http://localhost.evil.example' is not one.</summary>
    internal static bool IsLoopbackOrigin(string origin)
        => Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.UserInfo.Length == 0
            && uri.AbsolutePath == "/" && !origin.EndsWith('/') && uri.Query.Length == 0 && uri.Fragment.Length == 0
            && IsLoopbackHost(uri.Host);

    /// <summary>Whether every address the server listens on is a loopback one (the default 127.0.0.1, or --urls naming only loopback hosts).</summary>
    private static bool IsBoundToLoopbackOnly(IConfiguration configuration)
    {
        var urls = new[] { configuration["urls"], configuration["ASPNETCORE_URLS"] }.FirstOrDefault(value => !string.IsNullOrWhiteSpace(value)) ?? DefaultUrl;
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(endpoint => endpoint["Url"] ?? string.Empty);
        return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Concat(endpoints)
            .All(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && IsLoopbackHost(uri.Host));
    }

    /// <summary>localhost, 127.0.0.0/8 or [::1]; a wildcard (*, +, 0.0.0.0) or any other name is not.</summary>
    private static bool IsLoopbackHost(string host)
        => host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
