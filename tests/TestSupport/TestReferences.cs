using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Testing;

namespace McpSecurity.TestSupport;

/// <summary>
/// The framework and packages every rule test compiles against: .NET 8 reference assemblies and the
/// logging abstractions that real MCP servers use, so 'ILogger' code in tests is the real API.
/// </summary>
public static class TestReferences
{
    public static ReferenceAssemblies Default { get; } = ReferenceAssemblies.Net.Net80.AddPackages(
        ImmutableArray.Create(new PackageIdentity("Microsoft.Extensions.Logging.Abstractions", "8.0.0")));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ReferenceAssemblies, Lazy<Task>> Resolved = new();

    /// <summary>
    /// <see cref="Default"/> plus more packages, e.g. <c>TestReferences.With(("Microsoft.IdentityModel.Tokens", "8.16.0"))</c>.
    /// Keep the result in a static field so each set is resolved once.
    /// </summary>
    public static ReferenceAssemblies With(params (string Id, string Version)[] packages)
        => Default.AddPackages(packages.Select(p => new PackageIdentity(p.Id, p.Version)).ToImmutableArray());

    /// <summary>
    /// Resolves a set of reference packages once per test run. Tests that resolve the same set
    /// concurrently on a machine that has never seen it can each get a partial set (seen here as
    /// CS0246 on ILogger). The packages themselves come from the global packages folder, where
    /// ReferencePackages.props has the build restore them; add any new package there too.
    /// </summary>
    public static Task EnsureResolvedAsync(ReferenceAssemblies references)
        => Resolved.GetOrAdd(
            references,
            r => new Lazy<Task>(() => r.ResolveAsync(Microsoft.CodeAnalysis.LanguageNames.CSharp, CancellationToken.None))).Value;

    /// <summary>
    /// The MCP SDK's attributes and exception, declared in source with their real names: rules match
    /// them by metadata name, and this keeps every test from restoring the whole SDK.
    /// </summary>
    public const string McpSdkStubs = """
        namespace ModelContextProtocol
        {
            public class McpException : System.Exception
            {
                public McpException(string message) : base(message) { }
                public McpException(string message, System.Exception innerException) : base(message, innerException) { }
            }
        }

        namespace ModelContextProtocol.Server
        {
            [System.AttributeUsage(System.AttributeTargets.Class)]
            public sealed class McpServerToolTypeAttribute : System.Attribute { }

            [System.AttributeUsage(System.AttributeTargets.Method)]
            public sealed class McpServerToolAttribute : System.Attribute
            {
                public string? Name { get; set; }
                public bool ReadOnly { get; set; }
            }
        }
        """;
}
