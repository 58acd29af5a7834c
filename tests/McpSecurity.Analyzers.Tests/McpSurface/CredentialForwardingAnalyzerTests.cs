using McpSecurity.Analyzers.McpSurface;
using McpSecurity.Analyzers.Tests.Shared;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.AnalyzerVerifier<McpSecurity.Analyzers.McpSurface.CredentialForwardingAnalyzer>;

namespace McpSecurity.Analyzers.Tests.McpSurface;

/// <summary>MCPSEC607: the caller's Authorization header or saved token passed on; the token exchange and other headers are not.</summary>
public class CredentialForwardingAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.Diagnostics;
        using System.Linq;
        using System.Net.Http;
        using System.Net.Http.Headers;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Authentication;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Net.Http.Headers;
        using ModelContextProtocol.Server;

        """;

    /// <summary>The ASP.NET Core request types the rule reads, with their real metadata names (the shared framework is not a test reference).</summary>
    internal const string AspNetCoreStubs = """
        namespace Microsoft.Extensions.Primitives
        {
            public readonly struct StringValues : System.Collections.Generic.IEnumerable<string?>
            {
                private readonly string? value;
                public StringValues(string? value) => this.value = value;
                public int Count => value is null ? 0 : 1;
                public string? this[int index] => value;
                public static implicit operator string?(StringValues values) => values.value;
                public static implicit operator StringValues(string? value) => new(value);
                public override string ToString() => value ?? string.Empty;
                public string?[] ToArray() => new[] { value };
                public System.Collections.Generic.IEnumerator<string?> GetEnumerator() { yield return value; }
                System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
            }
        }

        namespace Microsoft.AspNetCore.Http
        {
            using Microsoft.Extensions.Primitives;

            public interface IHeaderDictionary : System.Collections.Generic.IDictionary<string, StringValues>
            {
                new StringValues this[string key] { get; set; }
                StringValues Authorization { get => this["Authorization"]; set => this["Authorization"] = value; }
            }

            public abstract class HttpRequest { public abstract IHeaderDictionary Headers { get; } }
            public abstract class HttpResponse { public abstract IHeaderDictionary Headers { get; } }
            public abstract class HttpContext
            {
                public abstract HttpRequest Request { get; }
                public abstract HttpResponse Response { get; }
                public abstract System.Security.Claims.ClaimsPrincipal User { get; }
            }

            public interface IHttpContextAccessor { HttpContext? HttpContext { get; set; } }
        }

        namespace Microsoft.AspNetCore.Authentication
        {
            public static class AuthenticationTokenExtensions
            {
                public static System.Threading.Tasks.Task<string?> GetTokenAsync(this Microsoft.AspNetCore.Http.HttpContext context, string tokenName)
                    => System.Threading.Tasks.Task.FromResult<string?>(null);
            }
        }

        namespace Microsoft.Net.Http.Headers
        {
            public static class HeaderNames
            {
                public static readonly string Authorization = "Authorization";
                public static readonly string TraceParent = "traceparent";
            }
        }
        """;

    private static Task VerifyServer(string source)
        => Verify.CreateTest(Usings + source, McpServerStubs.Source, AspNetCoreStubs).RunAsync();

    [Fact]
    public Task Flags_the_incoming_header_set_on_an_outbound_request() => VerifyServer("""
        public sealed class ForwardingHandler(IHttpContextAccessor accessor) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, System.Threading.CancellationToken cancellationToken)
            {
                request.Headers.Authorization = {|MCPSEC607:AuthenticationHeaderValue.Parse(accessor.HttpContext!.Request.Headers.Authorization!)|};
                return base.SendAsync(request, cancellationToken);
            }
        }
        """);

    [Fact]
    public Task Follows_the_token_through_locals_Replace_Substring_and_Split() => VerifyServer("""
        [McpServerToolType]
        public sealed class OrderTools(IHttpContextAccessor accessor, HttpClient client)
        {
            [McpServerTool]
            public async Task<string> Orders()
            {
                var header = accessor.HttpContext?.Request.Headers["Authorization"].ToString();
                var token = header?.Replace("Bearer ", "");
                client.DefaultRequestHeaders.Authorization = {|MCPSEC607:new AuthenticationHeaderValue("Bearer", token)|};
                var request = new HttpRequestMessage(HttpMethod.Get, "https://orders.example/api");
                request.Headers.Add("Authorization", {|MCPSEC607:"Bearer " + header!.Substring("Bearer ".Length)|});
                request.Headers.TryAddWithoutValidation("X-Api-Key", {|MCPSEC607:header.Split(' ')[1]|});
                request.Headers.Authorization = {|MCPSEC607:new AuthenticationHeaderValue("Bearer", AuthenticationHeaderValue.Parse(header).Parameter)|};
                return await (await client.SendAsync(request)).Content.ReadAsStringAsync();
            }
        }
        """);

    [Fact]
    public Task Flags_the_saved_access_token_and_headers_read_by_name() => VerifyServer("""
        public sealed class Downstream(HttpClient client)
        {
            public async Task Call(HttpContext context)
            {
                var token = await context.GetTokenAsync("access_token");
                using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example/")
                {
                    Headers = { Authorization = {|MCPSEC607:new AuthenticationHeaderValue("Bearer", token)|} },
                };
                request.Headers.Add("X-Forwarded-Authorization", {|MCPSEC607:context.Request.Headers[HeaderNames.Authorization].ToString()|});
                if (context.Request.Headers.TryGetValue("authorization", out var values))
                {
                    request.Headers.TryAddWithoutValidation("Authorization", {|MCPSEC607:values[0]|});
                }

                await client.SendAsync(request);
            }
        }
        """);

    [Fact]
    public Task Flags_the_token_given_to_a_child_process() => VerifyServer("""
        public static class GitTools
        {
            [McpServerTool]
            public static void Clone(HttpContext context, string repository)
            {
                var token = context.Request.Headers.Authorization.ToString()["Bearer ".Length..];
                var startInfo = new ProcessStartInfo("git");
                startInfo.Environment["GITHUB_TOKEN"] = {|MCPSEC607:token|};
                startInfo.ArgumentList.Add({|MCPSEC607:$"https://x-access-token:{token}@github.com/{repository}"|});
                Process.Start(startInfo);
                Process.Start("gh", {|MCPSEC607:"auth login --with-token " + token|});
            }
        }
        """);

    [Fact]
    public Task Flags_the_token_returned_to_the_client() => VerifyServer("""
        public static class WhoAmITools
        {
            [McpServerTool]
            public static string WhoAmI(IHttpContextAccessor accessor)
            {
                var header = accessor.HttpContext!.Request.Headers.Authorization.ToString();
                return $"You called with {{|MCPSEC607:header|}}";
            }
        }
        """);

    [Fact]
    public Task Flags_through_aliases_expression_bodies_and_partial_classes() => VerifyServer("""
        using Auth = System.Net.Http.Headers.AuthenticationHeaderValue;

        public sealed partial class Forwarder(HttpClient client)
        {
            public void Use(HttpContext context) => client.DefaultRequestHeaders.Authorization = {|MCPSEC607:Auth.Parse(context.Request.Headers["AUTHORIZATION"]!)|};
        }

        public sealed partial class Forwarder
        {
            public void Proxy(HttpContext context, HttpRequestMessage request)
                => request.Headers.Add("Proxy-Authorization", {|MCPSEC607:context.Request.Headers["Proxy-Authorization"].ToString()|});
        }
        """);

    [Fact]
    public Task Ignores_a_credential_object_named_like_the_token_read() => VerifyServer("""
        public sealed class TokenRequestContext { public TokenRequestContext(string[] scopes) { } }
        public sealed class AccessToken { public string Token { get; init; } = ""; }
        public abstract class TokenCredential { public abstract Task<AccessToken> GetTokenAsync(TokenRequestContext context, System.Threading.CancellationToken cancellationToken); }

        public sealed class Downstream(TokenCredential credential, HttpClient client)
        {
            public async Task Call(HttpContext context)
            {
                var caller = context.Request.Headers.Authorization.ToString();
                var token = await credential.GetTokenAsync(new TokenRequestContext(new[] { "api://orders/.default" }), default);
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
            }
        }
        """);

    // The MCP SDK's own HttpContext documentation sample: a tool returns every request header to the client, the token among them.
    [Fact]
    public Task Flags_every_request_header_returned_or_copied_to_an_outbound_request() => VerifyServer("""
        public class ContextTools(IHttpContextAccessor httpContextAccessor)
        {
            [McpServerTool]
            public object GetHttpHeaders()
            {
                var context = httpContextAccessor.HttpContext!;
                var headers = new System.Collections.Generic.Dictionary<string, string>();
                foreach (var header in context.Request.Headers)
                {
                    headers[header.Key] = string.Join(", ", header.Value.ToArray());
                }

                return {|MCPSEC607:headers|};
            }

            public void Proxy(HttpRequestMessage outbound)
            {
                foreach (var header in httpContextAccessor.HttpContext!.Request.Headers)
                {
                    outbound.Headers.TryAddWithoutValidation(header.Key, {|MCPSEC607:header.Value.ToArray()|});
                }
            }
        }
        """);

    [Fact]
    public Task Ignores_a_header_copy_that_skips_the_Authorization_header() => VerifyServer("""
        public static class Proxy
        {
            public static void Copy(HttpContext context, HttpRequestMessage outbound)
            {
                foreach (var header in context.Request.Headers)
                {
                    if (header.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    outbound.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
                }

                foreach (var header in context.Response.Headers)
                {
                    outbound.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
                }
            }
        }
        """);

    [Fact]
    public Task Ignores_a_token_the_server_obtained_itself() => VerifyServer("""
        public interface ITokenExchange
        {
            Task<string> OnBehalfOfAsync(string incomingToken, string[] scopes);
            Task<string> GetAccessTokenAsync();
        }

        public sealed class Downstream(IHttpContextAccessor accessor, ITokenExchange exchange, HttpClient client)
        {
            public async Task Call()
            {
                var incoming = accessor.HttpContext!.Request.Headers.Authorization.ToString().Replace("Bearer ", "");
                var exchanged = await exchange.OnBehalfOfAsync(incoming, new[] { "api://orders/.default" });
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", exchanged);
                var own = await exchange.GetAccessTokenAsync();
                using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example/");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", own);
                await client.SendAsync(request);
            }
        }
        """);

    [Fact]
    public Task Ignores_other_forwarded_headers_and_a_header_read_only_to_validate_it() => VerifyServer("""
        public sealed class Downstream(HttpClient client, string serviceToken)
        {
            public async Task Call(HttpContext context)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example/");
                request.Headers.Add("traceparent", context.Request.Headers[HeaderNames.TraceParent].ToString());
                request.Headers.Add("Accept-Language", context.Request.Headers["Accept-Language"].ToString());
                var authorization = context.Request.Headers.Authorization.ToString();
                if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
                {
                    throw new UnauthorizedAccessException("A bearer token is required.");
                }

                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", serviceToken);
                request.Headers.Add("X-Caller", context.User.FindFirst("sub")?.Value);
                await client.SendAsync(request);
            }
        }
        """);

    [Fact]
    public Task Ignores_response_headers_and_a_short_prefix_shown_to_the_client() => VerifyServer("""
        public static class Tools
        {
            [McpServerTool]
            public static string Which(HttpContext context, HttpRequestMessage outbound)
            {
                outbound.Headers.Add("X-Echo", context.Response.Headers.Authorization.ToString());
                return "token starting " + context.Request.Headers.Authorization.ToString().Substring(0, 4);
            }
        }
        """);

    [Fact]
    public Task Leaves_the_returned_token_to_this_rule_and_a_logged_one_to_MCPSEC504()
        => AnalyzerVerifier<McpSecurity.Analyzers.DataExposure.DataExposureAnalyzer>.CreateTest(Usings + """
            public static class WhoAmITools
            {
                [McpServerTool]
                public static string WhoAmI(IHttpContextAccessor accessor, Microsoft.Extensions.Logging.ILogger logger)
                {
                    var header = accessor.HttpContext!.Request.Headers.Authorization.ToString();
                    Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(logger, "called with {Header}", {|MCPSEC504:header|});
                    return "You called with " + header;
                }
            }
            """, McpServerStubs.Source, AspNetCoreStubs).RunAsync();

    [Fact]
    public Task Ignores_code_without_ASP_NET_Core() => Verify.VerifyAsync("""
        using System.Net.Http;
        using System.Net.Http.Headers;

        public static class Client
        {
            public static void Call(HttpRequestMessage request, string authorization)
                => request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }
        """);

    [Fact]
    public async Task Does_not_throw_on_code_that_does_not_compile()
    {
        await AnalyzerCrashCheck.NoExceptionsAsync(new CredentialForwardingAnalyzer(), AspNetCoreStubs, """
            using System.Net.Http;
            using System.Net.Http.Headers;
            using Microsoft.AspNetCore.Http;
            class C
            {
                void M(HttpContext context, HttpRequestMessage request, Missing missing)
                {
                    request.Headers.Authorization = AuthenticationHeaderValue.Parse(context.Request.Headers[missing]);
                    request.Headers.Add("Authorization", context.Request.Headers.Authorization.
                    var t = context.Request.Headers.TryGetValue("Authorization", out );
                    missing.Headers.Authorization = context.Request.Headers["Authorization"];
            """);
    }
}
