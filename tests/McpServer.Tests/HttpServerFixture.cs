using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpSecurity.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using ModelContextProtocol.Server;

namespace McpSecurity.Server.Tests;

/// <summary>The real HTTP pipeline (auth, Origin, hosts, limits, MCP endpoint) on an in-memory TestServer.</summary>
internal sealed class HttpServer : IAsyncDisposable
{
    public const string Key = "test-signing-key-0123456789-abcdefghijklmnop";
    public const string LeakedSecret = "sk-live-THIS-MUST-NEVER-BE-LOGGED-42";

    private readonly WebApplication app;

    private HttpServer(WebApplication app, LogSink logs)
    {
        this.app = app;
        Logs = logs;
    }

    public LogSink Logs { get; }

    public static async Task<HttpServer> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var logs = new LogSink();
        var values = new Dictionary<string, string?>
        {
            ["McpServer:WorkspaceRoot"] = ServerProcess.RepositoryRoot,
            ["McpServer:AllowedPrograms:echo:Path"] = "/bin/echo",
            ["McpServer:AllowedOrigins:0"] = "http://localhost:6274",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var app = ServerHosts.BuildHttp([], Key, builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(values);
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Trace);

            // A tool that fails with its argument in the exception message: the S5 leak the guard must stop.
            builder.Services.AddSingleton(McpServerTool.Create(
                (string apiKey) => ThrowWith(apiKey),
                new McpServerToolCreateOptions { Name = "explode", Description = "Always fails." }));
        });
        await app.StartAsync();
        return new HttpServer(app, logs);
    }

    private static string ThrowWith(string apiKey) => throw new InvalidOperationException("Upstream rejected key " + apiKey);

    public HttpClient CreateClient(string? token = null)
    {
        var client = app.GetTestClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static string Token(string scopes = "mcp:tools", string issuer = "mcpsec", string audience = "mcpsec-mcp", TimeSpan? lifetime = null, string key = Key)
    {
        var signing = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key));
        if (lifetime is { } negative && negative < TimeSpan.Zero)
        {
            // JsonWebTokenHandler refuses to mint an already-expired token: sign one by hand.
            var now = DateTimeOffset.UtcNow;
            return Sign($$"""{"alg":"HS256","typ":"JWT"}""", $$"""{"sub":"t","scope":"{{scopes}}","iss":"{{issuer}}","aud":"{{audience}}","nbf":{{(now + negative).AddMinutes(-5).ToUnixTimeSeconds()}},"iat":{{(now + negative).AddMinutes(-5).ToUnixTimeSeconds()}},"exp":{{(now + negative).ToUnixTimeSeconds()}}}""", signing);
        }

        return TokenIssuer.Create(signing, issuer, audience, "t", scopes.Split(' '), lifetime ?? TimeSpan.FromMinutes(5));
    }

    public static string Sign(string header, string payload, SymmetricSecurityKey key)
    {
        var unsigned = Base64UrlEncoder.Encode(header) + "." + Base64UrlEncoder.Encode(payload);
        using var hmac = new System.Security.Cryptography.HMACSHA256(key.Key);
        return unsigned + "." + Base64UrlEncoder.Encode(hmac.ComputeHash(Encoding.ASCII.GetBytes(unsigned)));
    }

    public static HttpRequestMessage McpRequest(string body = """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""", string path = "/mcp")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }

    /// <summary>The JSON-RPC message in a response, whether sent as plain JSON or as one SSE event.</summary>
    public static async Task<JsonElement> ReadJsonRpcAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var data = body.Split('\n').Where(line => line.StartsWith("data:", StringComparison.Ordinal)).Select(line => line[5..].Trim()).LastOrDefault();
        using var document = JsonDocument.Parse(data ?? body);
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>Captures every log line, with exceptions and state, to prove what never reaches the log.</summary>
internal sealed class LogSink : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public string All => string.Join("\n", Lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => sink.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {state} {exception}");
    }
}
