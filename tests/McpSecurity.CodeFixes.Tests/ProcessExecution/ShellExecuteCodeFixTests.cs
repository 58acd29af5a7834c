using McpSecurity.CodeFixes.ProcessExecution;
using Verify = McpSecurity.TestSupport.CodeFixVerifier<
    McpSecurity.Analyzers.ProcessExecution.ProcessStartAnalyzer,
    McpSecurity.CodeFixes.ProcessExecution.ShellExecuteCodeFix>;

namespace McpSecurity.CodeFixes.Tests.ProcessExecution;

/// <summary>MCPSEC403's fix: UseShellExecute = false.</summary>
public class ShellExecuteCodeFixTests
{
    private const string Key = ShellExecuteCodeFix.EquivalenceKey;

    [Fact]
    public Task Fix_all_turns_shell_execute_off_in_initializers_and_assignments() => Verify.VerifyAsync("""
        using System.Diagnostics;
        public static class Viewer
        {
            public static void Open(string document, string page)
            {
                Process.Start(new ProcessStartInfo(document) { UseShellExecute = {|MCPSEC403:true|} });
                var psi = new ProcessStartInfo { FileName = "https://example.com/" + page };
                psi.UseShellExecute = {|MCPSEC403:true|};
                Process.Start(psi);
            }
        }
        """, """
        using System.Diagnostics;
        public static class Viewer
        {
            public static void Open(string document, string page)
            {
                Process.Start(new ProcessStartInfo(document) { UseShellExecute = false });
                var psi = new ProcessStartInfo { FileName = "https://example.com/" + page };
                psi.UseShellExecute = false;
                Process.Start(psi);
            }
        }
        """, Key);
}
