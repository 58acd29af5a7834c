using Microsoft.CodeAnalysis.Testing;

namespace McpSecurity.TestSupport;

/// <summary>
/// The hosting surface of an MCP server over HTTP, in source with the real metadata names and
/// signatures (ASP.NET Core 8 and ModelContextProtocol.AspNetCore 2.3.1): MapMcp, endpoint conventions
/// and route groups, authorization options, Kestrel listen calls, host URLs and CORS policies.
/// They compile as a project of their own (<see cref="AddTo"/>) named like a framework assembly, as
/// the real ones are referenced: MCPSEC601 trusts ASP.NET's own conventions to add no authorization
/// beyond the ones it knows, and suspects the application's. The rules match these by symbol; the
/// vulnerable sample and the real-code runs check the real packages.
/// </summary>
public static class McpHostStubs
{
    public const string ProjectName = "Microsoft.AspNetCore.TestStubs";

    public static ReferenceAssemblies References => SecretTestReferences.Configuration;

    /// <summary>Adds the stubs project to <paramref name="state"/>, referenced by the test project, and the references they need.</summary>
    public static void AddTo(SolutionState state, AnalyzerTest<DefaultVerifier> test)
    {
        state.AdditionalProjects[ProjectName].Sources.Add(("Stubs.cs", Source));
        state.AdditionalProjectReferences.Add(ProjectName);
        test.ReferenceAssemblies = References;
    }

    public const string Source = """
        #nullable enable
        namespace Microsoft.AspNetCore.Routing
        {
            public interface IEndpointRouteBuilder { }

            public sealed class RouteGroupBuilder : IEndpointRouteBuilder, Microsoft.AspNetCore.Builder.IEndpointConventionBuilder
            {
                public void Add(System.Action<Microsoft.AspNetCore.Builder.EndpointBuilder> convention) { }
            }
        }

        namespace Microsoft.AspNetCore.Builder
        {
            using Microsoft.AspNetCore.Routing;

            public abstract class EndpointBuilder
            {
                public System.Collections.Generic.IList<object> Metadata { get; } = new System.Collections.Generic.List<object>();
            }

            public interface IEndpointConventionBuilder
            {
                void Add(System.Action<EndpointBuilder> convention);
            }

            public interface IApplicationBuilder { }

            public sealed class RouteHandlerBuilder : IEndpointConventionBuilder
            {
                public void Add(System.Action<EndpointBuilder> convention) { }
            }

            public static class McpEndpointRouteBuilderExtensions
            {
                public static IEndpointConventionBuilder MapMcp(this IEndpointRouteBuilder endpoints, string pattern = "") => null!;
            }

            public static class AuthorizationEndpointConventionBuilderExtensions
            {
                public static TBuilder RequireAuthorization<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder => builder;
                public static TBuilder RequireAuthorization<TBuilder>(this TBuilder builder, params string[] policyNames) where TBuilder : IEndpointConventionBuilder => builder;
                public static TBuilder RequireAuthorization<TBuilder>(this TBuilder builder, params Microsoft.AspNetCore.Authorization.IAuthorizeData[] authorizeData) where TBuilder : IEndpointConventionBuilder => builder;
                public static TBuilder RequireAuthorization<TBuilder>(this TBuilder builder, Microsoft.AspNetCore.Authorization.AuthorizationPolicy policy) where TBuilder : IEndpointConventionBuilder => builder;
                public static TBuilder AllowAnonymous<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder => builder;
            }

            public static class RoutingEndpointConventionBuilderExtensions
            {
                public static TBuilder WithMetadata<TBuilder>(this TBuilder builder, params object[] items) where TBuilder : IEndpointConventionBuilder => builder;
                public static TBuilder WithName<TBuilder>(this TBuilder builder, string endpointName) where TBuilder : IEndpointConventionBuilder => builder;
            }

            public static class CorsEndpointConventionBuilderExtensions
            {
                public static TBuilder RequireCors<TBuilder>(this TBuilder builder, string policyName) where TBuilder : IEndpointConventionBuilder => builder;
            }

            public static class EndpointRouteBuilderExtensions
            {
                public static RouteGroupBuilder MapGroup(this IEndpointRouteBuilder endpoints, string prefix) => null!;
                public static RouteHandlerBuilder MapGet(this IEndpointRouteBuilder endpoints, string pattern, System.Delegate handler) => null!;
            }

            public static class EndpointRoutingApplicationBuilderExtensions
            {
                public static IApplicationBuilder UseRouting(this IApplicationBuilder builder) => builder;
                public static IApplicationBuilder UseEndpoints(this IApplicationBuilder builder, System.Action<IEndpointRouteBuilder> configure) => builder;
            }

            public static class AuthorizationAppBuilderExtensions
            {
                public static IApplicationBuilder UseAuthorization(this IApplicationBuilder app) => app;
            }

            public static class CorsMiddlewareExtensions
            {
                public static IApplicationBuilder UseCors(this IApplicationBuilder app) => app;
                public static IApplicationBuilder UseCors(this IApplicationBuilder app, System.Action<Microsoft.AspNetCore.Cors.Infrastructure.CorsPolicyBuilder> configurePolicy) => app;
            }

            public sealed class WebApplication : IEndpointRouteBuilder, IApplicationBuilder, Microsoft.Extensions.Hosting.IHost
            {
                public static WebApplicationBuilder CreateBuilder(string[] args) => null!;
                public static WebApplicationBuilder CreateBuilder() => null!;
                public System.Collections.Generic.ICollection<string> Urls { get; } = new System.Collections.Generic.List<string>();
                public void Run(string? url = null) { }
                public System.Threading.Tasks.Task RunAsync(string? url = null) => System.Threading.Tasks.Task.CompletedTask;
            }

            public sealed class WebApplicationBuilder
            {
                public Microsoft.Extensions.DependencyInjection.IServiceCollection Services { get; } = null!;
                public ConfigureWebHostBuilder WebHost { get; } = null!;
                public Microsoft.Extensions.Configuration.ConfigurationManager Configuration { get; } = null!;
                public WebApplication Build() => null!;
            }

            public sealed class ConfigureWebHostBuilder : Microsoft.AspNetCore.Hosting.IWebHostBuilder
            {
                public Microsoft.AspNetCore.Hosting.IWebHostBuilder UseSetting(string key, string? value) => this;
            }
        }

        namespace Microsoft.AspNetCore.Hosting
        {
            public interface IWebHostBuilder
            {
                IWebHostBuilder UseSetting(string key, string? value);
            }

            public static class HostingAbstractionsWebHostBuilderExtensions
            {
                public static IWebHostBuilder UseUrls(this IWebHostBuilder hostBuilder, params string[] urls) => hostBuilder;
            }

            public static class WebHostBuilderKestrelExtensions
            {
                public static IWebHostBuilder ConfigureKestrel(this IWebHostBuilder hostBuilder, System.Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions> options) => hostBuilder;
                public static IWebHostBuilder UseKestrel(this IWebHostBuilder hostBuilder, System.Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions> options) => hostBuilder;
            }

            public static class WebHostBuilderExtensions
            {
                public static IWebHostBuilder Configure(this IWebHostBuilder hostBuilder, System.Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> configureApp) => hostBuilder;
            }

            public static class WebHostDefaults
            {
                public static readonly string ServerUrlsKey = "urls";
            }
        }

        namespace Microsoft.AspNetCore.Server.Kestrel.Core
        {
            public class ListenOptions { }

            public class KestrelServerOptions
            {
                public void Listen(System.Net.IPAddress address, int port) { }
                public void Listen(System.Net.IPAddress address, int port, System.Action<ListenOptions> configure) { }
                public void Listen(System.Net.IPEndPoint endPoint) { }
                public void Listen(System.Net.IPEndPoint endPoint, System.Action<ListenOptions> configure) { }
                public void ListenAnyIP(int port) { }
                public void ListenAnyIP(int port, System.Action<ListenOptions> configure) { }
                public void ListenLocalhost(int port) { }
                public void ListenLocalhost(int port, System.Action<ListenOptions> configure) { }
            }
        }

        namespace Microsoft.Extensions.Hosting
        {
            public interface IHost { }

            public interface IHostBuilder
            {
                IHost Build();
            }

            public static class Host
            {
                public static IHostBuilder CreateDefaultBuilder(string[] args) => null!;
            }

            public static class GenericHostBuilderExtensions
            {
                public static IHostBuilder ConfigureWebHostDefaults(this IHostBuilder builder, System.Action<Microsoft.AspNetCore.Hosting.IWebHostBuilder> configure) => builder;
            }

            public static class HostingAbstractionsHostExtensions
            {
                public static void Run(this IHost host) { }
            }
        }

        namespace Microsoft.AspNetCore.Authorization
        {
            public interface IAuthorizeData
            {
                string? Policy { get; set; }
            }

            public interface IAllowAnonymous { }

            public class AuthorizeAttribute : System.Attribute, IAuthorizeData
            {
                public AuthorizeAttribute() { }
                public AuthorizeAttribute(string policy) => Policy = policy;
                public string? Policy { get; set; }
            }

            public class AllowAnonymousAttribute : System.Attribute, IAllowAnonymous { }

            public class AuthorizationPolicy { }

            public class AuthorizationPolicyBuilder
            {
                public AuthorizationPolicyBuilder RequireAuthenticatedUser() => this;
                public AuthorizationPolicy Build() => new();
            }

            public class AuthorizationOptions
            {
                public AuthorizationPolicy DefaultPolicy { get; set; } = new();
                public AuthorizationPolicy? FallbackPolicy { get; set; }
                public void AddPolicy(string name, System.Action<AuthorizationPolicyBuilder> configurePolicy) { }
            }

            public class AuthorizationBuilder
            {
                public virtual AuthorizationBuilder SetFallbackPolicy(AuthorizationPolicy? policy) => this;
                public virtual AuthorizationBuilder AddPolicy(string name, System.Action<AuthorizationPolicyBuilder> configurePolicy) => this;
            }
        }

        namespace Microsoft.AspNetCore.Cors.Infrastructure
        {
            public class CorsPolicyBuilder
            {
                public CorsPolicyBuilder AllowAnyOrigin() => this;
                public CorsPolicyBuilder WithOrigins(params string[] origins) => this;
                public CorsPolicyBuilder SetIsOriginAllowed(System.Func<string, bool> isOriginAllowed) => this;
                public CorsPolicyBuilder AllowAnyHeader() => this;
                public CorsPolicyBuilder AllowAnyMethod() => this;
            }

            public class CorsOptions
            {
                public void AddPolicy(string name, System.Action<CorsPolicyBuilder> configurePolicy) { }
                public void AddDefaultPolicy(System.Action<CorsPolicyBuilder> configurePolicy) { }
            }
        }

        namespace Microsoft.Extensions.DependencyInjection
        {
            public interface IMcpServerBuilder { }

            public static class McpServerServiceCollectionExtensions
            {
                public static IMcpServerBuilder AddMcpServer(this IServiceCollection services) => null!;
            }

            public static class HttpMcpServerBuilderExtensions
            {
                public static IMcpServerBuilder WithHttpTransport(this IMcpServerBuilder builder) => builder;
            }

            public static class PolicyServiceCollectionExtensions
            {
                public static IServiceCollection AddAuthorization(this IServiceCollection services) => services;
                public static IServiceCollection AddAuthorization(this IServiceCollection services, System.Action<Microsoft.AspNetCore.Authorization.AuthorizationOptions> configure) => services;
                public static Microsoft.AspNetCore.Authorization.AuthorizationBuilder AddAuthorizationBuilder(this IServiceCollection services) => new();
            }

            public static class CorsServiceCollectionExtensions
            {
                public static IServiceCollection AddCors(this IServiceCollection services, System.Action<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions> setupAction) => services;
            }

            public static class OptionsServiceCollectionExtensions
            {
                public static IServiceCollection Configure<TOptions>(this IServiceCollection services, System.Action<TOptions> configureOptions) where TOptions : class => services;
            }
        }
        """;
}
