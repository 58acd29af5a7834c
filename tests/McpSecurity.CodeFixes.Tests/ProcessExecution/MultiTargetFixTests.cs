using System.Collections.Immutable;
using McpSecurity.Analyzers.ProcessExecution;
using McpSecurity.CodeFixes.ProcessExecution;
using McpSecurity.CodeFixes.Tests.Infrastructure;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis.Testing;

namespace McpSecurity.CodeFixes.Tests.ProcessExecution;

/// <summary>
/// A project that targets <c>netstandard2.0;net8.0</c> compiles each file twice, and
/// <c>dotnet format</c> fixes both copies and merges them: a fix that writes different code per
/// target left <c>&lt;&lt;&lt;&lt;&lt;&lt;&lt; TODO: Unmerged change from project</c> markers in the source.
/// </summary>
public class MultiTargetFixTests
{
    private static readonly ReferenceAssemblies NetStandard20 = ReferenceAssemblies.NetStandard.NetStandard20.AddPackages(
        ImmutableArray.Create(new PackageIdentity("Microsoft.Extensions.Logging.Abstractions", "8.0.0")));

    private static readonly (string, ReferenceAssemblies, string[])[] Targets =
    [
        ("Consumer(netstandard2.0)", NetStandard20, ["NETSTANDARD2_0", "NETSTANDARD"]),
        ("Consumer(net8.0)", TestReferences.Default, ["NET8_0", "NET", "NETCOREAPP"]),
    ];

    [Fact]
    public async Task Process_wait_fix_writes_the_same_code_for_every_target_framework()
    {
        var solution = await FixRunner.CreateAsync("""
            using System.Diagnostics;

            namespace Consumer;

            public static class Runner
            {
                public static int Run(ProcessStartInfo startInfo)
                {
                    using var process = Process.Start(startInfo)!;
                    process.WaitForExit();
                    return process.ExitCode;
                }

                public static int RunOther(Process process)
                {
                    process.WaitForExit();
                    return process.ExitCode;
                }
            }
            """, Targets);

        var fixedSolution = await FixRunner.FixAllAsync(solution, new ProcessWaitAnalyzer(), new ProcessWaitCodeFix());

        var (text, merged) = await FixRunner.MergeLinkedAsync(solution, fixedSolution);
        foreach (var project in merged.Projects)
        {
            Assert.Empty(await FixRunner.CompilerProblemsAsync(project));
        }

        Assert.DoesNotContain("<<<<<<<", text, StringComparison.Ordinal);
        // Bounded with the APIs both targets have: WaitForExit(int) and Kill().
        Assert.Contains("if (!process.WaitForExit(30000))", text, StringComparison.Ordinal);
        Assert.DoesNotContain("entireProcessTree", text, StringComparison.Ordinal);
        Assert.DoesNotContain("process.WaitForExit();", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wait_that_only_one_target_compiles_gets_that_targets_fix()
    {
        // Inside '#if NET' the netstandard2.0 copy is inactive text: Task.WaitAsync (.NET 6) is fine there.
        var solution = await FixRunner.CreateAsync("""
            using System.Diagnostics;
            using System.Threading.Tasks;

            namespace Consumer;

            public static class Runner
            {
            #if NET
                public static async Task<int> RunAsync(Process process)
                {
                    await process.WaitForExitAsync();
                    return process.ExitCode;
                }
            #endif
            }
            """, Targets);

        var fixedSolution = await FixRunner.FixAllAsync(solution, new ProcessWaitAnalyzer(), new ProcessWaitCodeFix());

        var (text, merged) = await FixRunner.MergeLinkedAsync(solution, fixedSolution);
        foreach (var project in merged.Projects)
        {
            Assert.Empty(await FixRunner.CompilerProblemsAsync(project));
        }

        Assert.Contains(".WaitAsync(", text, StringComparison.Ordinal);
    }
}
