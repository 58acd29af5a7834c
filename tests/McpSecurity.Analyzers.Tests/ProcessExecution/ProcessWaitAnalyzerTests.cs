using McpSecurity.Analyzers.ProcessExecution;
using McpSecurity.Analyzers.Tests.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.AnalyzerVerifier<McpSecurity.Analyzers.ProcessExecution.ProcessWaitAnalyzer>;

namespace McpSecurity.Analyzers.Tests.ProcessExecution;

/// <summary>MCPSEC404: a started process waited on with no bound.</summary>
public class ProcessWaitAnalyzerTests
{
    [Fact]
    public Task Flags_wait_for_exit_without_timeout() => Verify.VerifyAsync("""
        using System.Diagnostics;
        using System.Threading;
        using System.Threading.Tasks;
        public static class Runner
        {
            public static async Task RunAsync(ProcessStartInfo startInfo)
            {
                using var process = Process.Start(startInfo)!;
                {|MCPSEC404:process.WaitForExit()|};
                {|MCPSEC404:process.WaitForExit(-1)|};
                {|MCPSEC404:process.WaitForExit(Timeout.InfiniteTimeSpan)|};
                await {|MCPSEC404:process.WaitForExitAsync()|};
                await {|MCPSEC404:process.WaitForExitAsync(CancellationToken.None)|};
                await {|MCPSEC404:process.WaitForExitAsync(default)|};
            }
        }
        """);

    /// <summary>
    /// The rule registers nothing where no tree spells WaitForExit, a check made on the text before any
    /// binding, in chunks: a wait straddling a chunk boundary of a large file must still be reported.
    /// </summary>
    [Theory]
    [InlineData(8190)]
    [InlineData(8202)]
    [InlineData(8206)]
    [InlineData(16395)]
    public Task Flags_a_wait_wherever_it_falls_in_a_large_file(int waitOffset)
    {
        const string Prefix = "using System.Diagnostics;\npublic static class Runner\n{\n    public static void Run(Process p)\n    {\n        ";
        var padding = "/*" + new string('x', waitOffset - Prefix.Length - "/**/ p.".Length) + "*/ ";
        var source = Prefix + padding + "{|MCPSEC404:p.WaitForExit()|};\n    }\n}\n";
        Assert.Equal(waitOffset, (Prefix + padding + "p.").Length);
        return Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Message_names_the_call()
    {
        var test = Verify.CreateTest("""
            using System.Diagnostics;
            public static class Runner
            {
                public static int Run()
                {
                    var p = Process.Start("git", "status");
                    {|#0:p.WaitForExit()|};
                    return p.ExitCode;
                }
            }
            """);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleCatalog.ProcessWaitWithoutTimeout).WithLocation(0).WithArguments("WaitForExit()"));
        await test.RunAsync();
    }

    [Fact]
    public Task Flags_waits_in_lambdas_local_functions_and_top_level_statements()
    {
        var test = Verify.CreateTest("""
            using System;
            using System.Diagnostics;

            var p = Process.Start("git", "status");
            {|MCPSEC404:p.WaitForExit()|};
            Action wait = () => {|MCPSEC404:p.WaitForExit()|};
            wait();
            Wait(p);

            static void Wait(Process process) => {|MCPSEC404:process.WaitForExit()|};
            """);
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        return test.RunAsync();
    }

    [Fact]
    public Task Ignores_bounded_waits() => Verify.VerifyAsync("""
        using System;
        using System.Diagnostics;
        using System.Threading;
        using System.Threading.Tasks;
        public static class Runner
        {
            public static async Task RunAsync(Process process, CancellationToken cancellationToken)
            {
                process.WaitForExit(30_000);
                process.WaitForExit(TimeSpan.FromSeconds(30));
                await process.WaitForExitAsync(cancellationToken);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await process.WaitForExitAsync(timeout.Token);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(30_000));
            }
        }
        """);

    [Fact]
    public Task Ignores_the_flushing_wait_after_a_timed_wait_or_a_kill() => Verify.VerifyAsync("""
        using System.Diagnostics;
        public static class Runner
        {
            public static string Run(Process process)
            {
                if (!process.WaitForExit(30_000))
                {
                    process.Kill(entireProcessTree: true);
                }

                // Documented: after a timed wait returned, this flushes the redirected output handlers.
                process.WaitForExit();
                return "done";
            }
        }
        """);

    [Fact]
    public Task Ignores_wait_methods_of_other_types() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        public class Job { public void WaitForExit() { } public Task WaitForExitAsync() => Task.CompletedTask; }
        public static class Runner
        {
            public static Task Run(Job job)
            {
                job.WaitForExit();
                return job.WaitForExitAsync();
            }
        }
        """);

    [Fact]
    public Task Ignores_generated_code() => Verify.VerifyAsync("""
        // <auto-generated/>
        using System.Diagnostics;
        public static class Generated
        {
            public static void Run(Process process) => process.WaitForExit();
        }
        """);

    [Fact]
    public async Task Survives_incomplete_code_without_crashing()
    {
        await AnalyzerCrashCheck.NoExceptionsAsync(new ProcessWaitAnalyzer(), """
            using System.Diagnostics;
            class C
            {
                void M(Process p)
                {
                    p.WaitForExit(
                    p.WaitForExitAsync(undefined).WaitAsync(;
                    Missing().WaitForExit();
                    p.Kill(
            """);
    }
}
