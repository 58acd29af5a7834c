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

    private static readonly Lazy<Task> Resolved = new(
        () => Default.ResolveAsync(Microsoft.CodeAnalysis.LanguageNames.CSharp, CancellationToken.None));

    /// <summary>
    /// Downloads and resolves the reference packages once. Tests that resolve them concurrently on a
    /// machine that has never seen them can each get a partial set (seen as CS0246 on ILogger).
    /// </summary>
    public static Task EnsureResolvedAsync() => Resolved.Value;

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
