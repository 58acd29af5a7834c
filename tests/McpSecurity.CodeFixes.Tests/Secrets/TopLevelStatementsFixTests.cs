using McpSecurity.Analyzers.Secrets;
using McpSecurity.CodeFixes.Secrets;
using McpSecurity.CodeFixes.Tests.Infrastructure;

namespace McpSecurity.CodeFixes.Tests.Secrets;

/// <summary>
/// Top-level statements with a local function named <c>Main</c>, seen on a real MCP client: Roslyn's
/// simplifier threw on such files, so a fix that leaves names to it would fail there.
/// </summary>
public class TopLevelStatementsFixTests
{
    private const string Program = """
        using System;

        var key = Environment.GetEnvironmentVariable("API_KEY") ?? "dev-api-key-0123456789";
        Main(key);

        static void Main(string value) => Console.WriteLine(value.Length);
        """;

    [Fact]
    public async Task Fallback_fix_applies_beside_a_local_function_named_Main()
    {
        var text = await FixRunner.ApplyAsync(Program, new HardcodedSecretAnalyzer(), new SecretFallbackCodeFix(), outputKind: Microsoft.CodeAnalysis.OutputKind.ConsoleApplication);

        Assert.Contains("?? throw new InvalidOperationException(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dev-api-key", text, StringComparison.Ordinal);
    }
}
