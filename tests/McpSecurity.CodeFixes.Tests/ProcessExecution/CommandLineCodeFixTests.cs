using McpSecurity.CodeFixes.ProcessExecution;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.CodeFixVerifier<
    McpSecurity.Analyzers.ProcessExecution.ProcessStartAnalyzer,
    McpSecurity.CodeFixes.ProcessExecution.CommandLineCodeFix>;

namespace McpSecurity.CodeFixes.Tests.ProcessExecution;

/// <summary>MCPSEC402's rewrite: an Arguments string split into ArgumentList items, each hole one argument.</summary>
public class CommandLineCodeFixTests
{
    private const string Key = CommandLineCodeFix.EquivalenceKey;

    private static Task NoFix(string source) => Verify.VerifyAsync(source, source, Key);

    [Fact]
    public Task Git_clone_arguments_become_an_argument_list() => Verify.VerifyAsync("""
        using System.Diagnostics;
        public static class Git
        {
            public static Process? Clone(string url)
            {
                var psi = new ProcessStartInfo("git") { Arguments = {|MCPSEC402:"clone --depth 1 " + url|}, RedirectStandardOutput = true };
                return Process.Start(psi);
            }
        }
        """, """
        using System.Diagnostics;
        public static class Git
        {
            public static Process? Clone(string url)
            {
                var psi = new ProcessStartInfo("git") { UseShellExecute = false, ArgumentList = { "clone", "--depth", "1", url }, RedirectStandardOutput = true };
                return Process.Start(psi);
            }
        }
        """, Key);
}
