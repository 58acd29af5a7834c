using McpSecurity.Server.Hosting;
using McpSecurity.Server.Tools;

namespace McpSecurity.Server.Tests;

/// <summary>Guide S4 made real: shell metacharacters stay data, only allow-listed programs run, children are bounded.</summary>
public sealed class ProgramRunnerTests : IDisposable
{
    private readonly TempFolder workspace = new();

    public void Dispose() => workspace.Dispose();

    private ProgramRunner Runner(int timeoutSeconds = 5, int outputLimit = 64 * 1024) => new(new ServerSettings
    {
        WorkspaceRoot = workspace.Path,
        ProgramTimeoutSeconds = timeoutSeconds,
        ProgramOutputLimitBytes = outputLimit,
        AllowedPrograms = new(StringComparer.Ordinal)
        {
            ["echo"] = new AllowedProgram { Path = "/bin/echo" },
            ["sleep"] = new AllowedProgram { Path = "/bin/sleep" },
            ["seq"] = new AllowedProgram { Path = "/usr/bin/seq" },
            ["env"] = new AllowedProgram { Path = "/usr/bin/env" },
            ["git"] = new AllowedProgram { Path = "/usr/bin/git", AllowedOptions = ["--version"] },
            ["sh"] = new AllowedProgram { Path = "/bin/sh", AllowedOptions = ["-c"] },
        },
    });

    [Theory]
    [InlineData("; id")]
    [InlineData("$(id)")]
    [InlineData("`id`")]
    [InlineData("| id")]
    [InlineData("&& id")]
    [InlineData("a' ; id ; echo 'b")]
    public async Task Shell_metacharacters_reach_the_program_as_plain_text(string payload)
    {
        var result = await Runner().RunAsync("echo", [payload], CancellationToken.None);

        Assert.True(result.Started, result.Error);
        Assert.Equal(payload + "\n", result.StandardOutput);
        Assert.DoesNotContain("uid=", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--upload-pack=touch /tmp/pwned")]
    [InlineData("-c")]
    [InlineData("--output=/etc/passwd")]
    public async Task Options_not_on_the_programs_list_are_refused(string payload)
    {
        var result = await Runner().RunAsync("git", ["ls-remote", payload, "origin"], CancellationToken.None);

        Assert.False(result.Started);
        Assert.Contains("option that is not allowed", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/../../outside")]
    public async Task Paths_leaving_the_workspace_are_refused(string payload)
    {
        var result = await Runner().RunAsync("echo", [payload], CancellationToken.None);

        Assert.False(result.Started);
        Assert.Contains("outside the workspace", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("/bin/echo")]
    [InlineData("zsh")]
    [InlineData("ECHO")]
    public async Task Programs_not_on_the_allow_list_are_refused(string program)
    {
        var result = await Runner().RunAsync(program, ["-c", "id"], CancellationToken.None);

        Assert.False(result.Started);
        Assert.Contains("not on the allow-list", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_sleeping_past_the_timeout_is_killed()
    {
        var started = DateTime.UtcNow;

        var result = await Runner(timeoutSeconds: 1).RunAsync("sleep", ["30"], CancellationToken.None);

        Assert.True(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_grandchild_holding_the_output_pipe_does_not_hang_the_call()
    {
        var started = DateTime.UtcNow;

        var result = await Runner().RunAsync("sh", ["-c", "echo started; sleep 6 &"], CancellationToken.None);

        Assert.True(result.Started, result.Error);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("started", result.StandardOutput, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Huge_output_is_cut_at_the_limit()
    {
        var result = await Runner(outputLimit: 1000).RunAsync("seq", ["1", "2000000"], CancellationToken.None);

        Assert.True(result.Started, result.Error);
        Assert.True(result.OutputTruncated);
        Assert.Equal(1000, result.StandardOutput.Length);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task The_child_never_sees_SECRET_KEY_or_tokens()
    {
        Environment.SetEnvironmentVariable("SECRET_KEY", "super-secret-value-that-must-not-leak-0123456789");
        Environment.SetEnvironmentVariable("GITHUB_TOKEN", "ghp_must_not_leak");
        try
        {
            var result = await Runner().RunAsync("env", [], CancellationToken.None);

            Assert.True(result.Started, result.Error);
            Assert.Contains("PATH=", result.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("SECRET_KEY", result.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("super-secret", result.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("ghp_", result.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SECRET_KEY", null);
            Environment.SetEnvironmentVariable("GITHUB_TOKEN", null);
        }
    }

    [Fact]
    public async Task Allowed_options_and_workspace_paths_pass()
    {
        var result = await Runner().RunAsync("echo", ["src/File.cs"], CancellationToken.None);

        Assert.True(result.Started, result.Error);
        Assert.Equal("src/File.cs\n", result.StandardOutput);
    }
}
