using McpSecurity.CodeFixes.ProcessExecution;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.CodeFixVerifier<
    McpSecurity.Analyzers.ProcessExecution.ProcessWaitAnalyzer,
    McpSecurity.CodeFixes.ProcessExecution.ProcessWaitCodeFix>;

namespace McpSecurity.CodeFixes.Tests.ProcessExecution;

/// <summary>MCPSEC404's fix: a bounded wait that kills the process tree when the time is up.</summary>
public class ProcessWaitCodeFixTests
{
    private const string Key = ProcessWaitCodeFix.EquivalenceKey;

    [Fact]
    public Task Wait_for_exit_becomes_a_bounded_wait_that_kills_the_tree() => Verify.VerifyAsync("""
        using System;
        using System.Diagnostics;
        public static class Runner
        {
            public static int Run(ProcessStartInfo startInfo)
            {
                using var process = Process.Start(startInfo)!;
                {|MCPSEC404:process.WaitForExit()|};
                return process.ExitCode;
            }
        }
        """, """
        using System;
        using System.Diagnostics;
        public static class Runner
        {
            public static int Run(ProcessStartInfo startInfo)
            {
                using var process = Process.Start(startInfo)!;
                if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
                {
                    process.Kill(entireProcessTree: true);
                    throw new TimeoutException("'process' did not exit within 30 seconds and was killed.");
                }

                return process.ExitCode;
            }
        }
        """, Key);

    [Fact]
    public Task Async_wait_is_bounded_with_WaitAsync() => Verify.VerifyAsync("""
        using System.Diagnostics;
        using System.Threading.Tasks;
        public sealed class Runner
        {
            private readonly Process process = new();

            public async Task<int> RunAsync()
            {
                process.Start();
                await {|MCPSEC404:process.WaitForExitAsync()|}.ConfigureAwait(false);
                return process.ExitCode;
            }
        }
        """, """
        using System.Diagnostics;
        using System.Threading.Tasks;
        public sealed class Runner
        {
            private readonly Process process = new();

            public async Task<int> RunAsync()
            {
                process.Start();
                try
                {
                    await process.WaitForExitAsync().WaitAsync(System.TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                }
                catch (System.TimeoutException)
                {
                    process.Kill(entireProcessTree: true);
                    throw;
                }

                return process.ExitCode;
            }
        }
        """, Key);

    [Fact]
    public async Task Timeout_comes_from_the_option()
    {
        var test = Verify.CreateTest("""
            using System.Diagnostics;
            public static class Runner
            {
                public static void Run(Process p)
                {
                    if (p.HasExited) return;
                    else {|MCPSEC404:p.WaitForExit()|};
                }
            }
            """, """
            using System.Diagnostics;
            public static class Runner
            {
                public static void Run(Process p)
                {
                    if (p.HasExited) return;
                    else
                    {
                        if (!p.WaitForExit(System.TimeSpan.FromSeconds(120)))
                        {
                            p.Kill(entireProcessTree: true);
                            throw new System.TimeoutException("'p' did not exit within 120 seconds and was killed.");
                        }
                    }
                }
            }
            """, Key);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\nmcpsec.process_timeout_seconds = 120\n"));
        await test.RunAsync();
    }

    // Found on a real MCP client: a local function among top-level statements made Roslyn's
    // Simplifier throw (KeyNotFoundException, "Syntax tree not found") while it cleaned up the fix.
    [Fact]
    public Task Bounds_a_wait_in_a_local_function_among_top_level_statements()
    {
        var test = Verify.CreateTest("""
            using System.Diagnostics;
            using System.Threading.Tasks;

            static async Task<int> Main()
            {
                using var proc = Process.Start(new ProcessStartInfo("dotnet") { UseShellExecute = false })!;
                await {|MCPSEC404:proc.WaitForExitAsync()|};
                return proc.ExitCode;
            }

            return await Main();
            """, """
            using System.Diagnostics;
            using System.Threading.Tasks;

            static async Task<int> Main()
            {
                using var proc = Process.Start(new ProcessStartInfo("dotnet") { UseShellExecute = false })!;
                try
                {
                    await proc.WaitForExitAsync().WaitAsync(System.TimeSpan.FromSeconds(30));
                }
                catch (System.TimeoutException)
                {
                    proc.Kill(entireProcessTree: true);
                    throw;
                }

                return proc.ExitCode;
            }

            return await Main();
            """, Key);
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        test.FixedState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        return test.RunAsync();
    }

    [Fact]
    public Task No_fix_when_the_process_is_not_held_in_a_variable() => Verify.VerifyAsync("""
        using System.Diagnostics;
        using System.Threading.Tasks;
        public static class Runner
        {
            public static Task Run()
            {
                {|MCPSEC404:Process.Start("git", "status").WaitForExit()|};
                var p = Process.Start("git", "status");
                return {|MCPSEC404:p.WaitForExitAsync()|};
            }
        }
        """, """
        using System.Diagnostics;
        using System.Threading.Tasks;
        public static class Runner
        {
            public static Task Run()
            {
                {|MCPSEC404:Process.Start("git", "status").WaitForExit()|};
                var p = Process.Start("git", "status");
                return {|MCPSEC404:p.WaitForExitAsync()|};
            }
        }
        """, Key);

    [Fact]
    public Task Fix_all_bounds_every_wait_and_the_result_compiles() => Verify.VerifyAsync("""
        using System;
        using System.Diagnostics;
        using System.Threading;
        using System.Threading.Tasks;
        public static class Runner
        {
            public static async Task<int> RunAsync(Process build, Process test, Process lint)
            {
                {|MCPSEC404:build.WaitForExit()|};
                {|MCPSEC404:test.WaitForExit(Timeout.Infinite)|};
                await {|MCPSEC404:lint.WaitForExitAsync(CancellationToken.None)|};

                // After a bounded wait, WaitForExit() only flushes the output: not reported.
                {|MCPSEC404:test.WaitForExit()|};
                return build.ExitCode + test.ExitCode + lint.ExitCode;
            }
        }
        """, """
        using System;
        using System.Diagnostics;
        using System.Threading;
        using System.Threading.Tasks;
        public static class Runner
        {
            public static async Task<int> RunAsync(Process build, Process test, Process lint)
            {
                if (!build.WaitForExit(TimeSpan.FromSeconds(30)))
                {
                    build.Kill(entireProcessTree: true);
                    throw new TimeoutException("'build' did not exit within 30 seconds and was killed.");
                }

                if (!test.WaitForExit(TimeSpan.FromSeconds(30)))
                {
                    test.Kill(entireProcessTree: true);
                    throw new TimeoutException("'test' did not exit within 30 seconds and was killed.");
                }

                try
                {
                    await lint.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                }
                catch (TimeoutException)
                {
                    lint.Kill(entireProcessTree: true);
                    throw;
                }

                // After a bounded wait, WaitForExit() only flushes the output: not reported.
                test.WaitForExit();
                return build.ExitCode + test.ExitCode + lint.ExitCode;
            }
        }
        """, Key);
}
