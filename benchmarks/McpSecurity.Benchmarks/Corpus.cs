using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpSecurity.Benchmarks;

/// <summary>
/// A deterministic corpus modelled on MCP server code: tool classes with handlers, logging, process
/// starts and settings, mostly written the safe way, with a violation of each rule family in one file
/// of ten (so the analyzers also pay for reporting). Compiled against the running framework and small
/// stand-ins for ILogger and the MCP SDK's attributes, which the analyzers recognise by name.
/// </summary>
internal static class Corpus
{
    public const int FileCount = 200;

    public static CSharpCompilation Compile()
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(Stubs, parseOptions, path: "Stubs.cs") };
        for (var i = 0; i < FileCount; i++)
        {
            trees.Add(CSharpSyntaxTree.ParseText(ToolFile(i), parseOptions, path: $"Tools{i:D3}.cs"));
        }

        return CSharpCompilation.Create(
            "Corpus",
            trees,
            FrameworkReferences(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>The running framework's System.* assemblies: every process, logging-free library compiles against these.</summary>
    public static IEnumerable<MetadataReference> FrameworkReferences()
        => ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "netstandard.dll" or "mscorlib.dll")
            .Select(path => MetadataReference.CreateFromFile(path));

    /// <summary>Every analyzer in McpSecurity.Analyzers, found by reflection so new ones are measured too.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = typeof(McpSecurity.Analyzers.RuleCatalog).Assembly.GetTypes()
        .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type))
        .OrderBy(type => type.Name, StringComparer.Ordinal)
        .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
        .ToImmutableArray();

    public static int LineCount(Compilation compilation)
        => compilation.SyntaxTrees.Sum(tree => tree.GetText().Lines.Count);

    private static string ToolFile(int i)
    {
        var n = i.ToString("D3", CultureInfo.InvariantCulture);
        var text = new StringBuilder($$"""
            using System;
            using System.Collections.Generic;
            using System.Diagnostics;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.Logging;
            using ModelContextProtocol.Server;

            namespace Corpus.Tools{{n}};

            public sealed class Settings{{n}}
            {
                public string ApiKeyEnvVar { get; set; } = "API_KEY_{{n}}";
                public string SecretKey { get; set; } = Environment.GetEnvironmentVariable("SECRET_KEY_{{n}}") ?? throw new InvalidOperationException("SECRET_KEY_{{n}} is required");
                public string Endpoint { get; set; } = "https://example.test/{{n}}";
                public int TimeoutSeconds { get; set; } = 30;
            }

            [McpServerToolType]
            public sealed class Tools{{n}}(ILogger<Tools{{n}}> logger)
            {
                [McpServerTool]
                public async Task<string> Convert{{n}}(string input, string format, CancellationToken cancellationToken)
                {
                    try
                    {
                        var psi = new ProcessStartInfo { FileName = "ffmpeg", UseShellExecute = false, RedirectStandardOutput = true };
                        psi.ArgumentList.Add("-i");
                        psi.ArgumentList.Add(input);
                        psi.ArgumentList.Add("-f");
                        psi.ArgumentList.Add(format);
                        using var process = Process.Start(psi)!;
                        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
                        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                        await process.WaitForExitAsync(timeout.Token);
                        return output;
                    }
                    catch (IOException ex)
                    {
                        logger.LogError(ex, "Conversion failed");
                        return "Conversion failed";
                    }
                }

                [McpServerTool]
                public IReadOnlyList<int> Parse{{n}}(string[] lines)
                {
                    var values = new List<int>();
                    foreach (var line in lines)
                    {
                        try
                        {
                            values.Add(int.Parse(line, System.Globalization.CultureInfo.InvariantCulture));
                        }
                        catch (FormatException ex)
                        {
                            logger.LogWarning(ex, "Skipped line {Index}", values.Count);
                        }
                    }

                    return values;
                }

                [McpServerTool]
                public string Describe{{n}}(Dictionary<string, string> arguments)
                {
                    logger.LogInformation("Called with {Keys}", string.Join(",", arguments.Keys));
                    return arguments.Count + " arguments";
                }

            """);

        if (i % 10 == 0)
        {
            // One file in ten breaks each rule family, the way the guide's project did.
            text.Append($$"""
                    private const string ApiToken = "ghp_R2d2C3poBb8Ewok5Yoda9Luke4Leia7Han{{n}}";

                    [McpServerTool]
                    public string Run{{n}}(string command)
                    {
                        logger.LogInformation("Running {Command}", command);
                        try
                        {
                            var process = Process.Start("bash", "-c \"" + command + "\"");
                            process.WaitForExit();
                            return process.StandardOutput.ReadToEnd();
                        }
                        catch
                        {
                            return null!;
                        }
                    }

                    public static string Key{{n}}() => Environment.GetEnvironmentVariable("JWT_SECRET_KEY") ?? "dev-secret-key-change-in-production";

                """);
        }

        text.Append("}\n");
        return text.ToString();
    }

    private const string Stubs = """
        namespace Microsoft.Extensions.Logging
        {
            public interface ILogger { }
            public interface ILogger<out T> : ILogger { }
            public static class LoggerExtensions
            {
                public static void LogError(this ILogger logger, System.Exception? exception, string? message, params object?[] args) { }
                public static void LogWarning(this ILogger logger, System.Exception? exception, string? message, params object?[] args) { }
                public static void LogInformation(this ILogger logger, string? message, params object?[] args) { }
            }
        }

        namespace ModelContextProtocol.Server
        {
            [System.AttributeUsage(System.AttributeTargets.Class)]
            public sealed class McpServerToolTypeAttribute : System.Attribute { }
            [System.AttributeUsage(System.AttributeTargets.Method)]
            public sealed class McpServerToolAttribute : System.Attribute { }
        }
        """;
}
