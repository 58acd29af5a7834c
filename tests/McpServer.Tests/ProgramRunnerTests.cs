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
            ["cat"] = new AllowedProgram { Path = "/bin/cat" },
            ["dd"] = new AllowedProgram { Path = "/bin/dd" },
            ["curl"] = new AllowedProgram { Path = "/usr/bin/curl", AllowedOptions = ["-d", "--data"] },
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

        Assert.Equal(payload + "\n", result.StandardOutput);
        Assert.DoesNotContain("uid=", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--upload-pack=touch /tmp/pwned")]
    [InlineData("-c")]
    [InlineData("--output=/etc/passwd")]
    public async Task Options_not_on_the_programs_list_are_refused(string payload)
    {
        var refused = await Assert.ThrowsAsync<ProgramRefusedException>(() => Runner().RunAsync("git", ["ls-remote", payload, "origin"], CancellationToken.None));

        Assert.Contains("option that is not allowed", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/../../outside")]
    public async Task Paths_leaving_the_workspace_are_refused(string payload)
    {
        var refused = await Assert.ThrowsAsync<ProgramRefusedException>(() => Runner().RunAsync("echo", [payload], CancellationToken.None));

        Assert.Contains("outside the workspace", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("/bin/echo")]
    [InlineData("zsh")]
    [InlineData("ECHO")]
    public async Task Programs_not_on_the_allow_list_are_refused(string program)
    {
        var refused = await Assert.ThrowsAsync<ProgramRefusedException>(() => Runner().RunAsync(program, ["-c", "id"], CancellationToken.None));

        Assert.Contains("not on the allow-list", refused.Message, StringComparison.Ordinal);
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

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("started", result.StandardOutput, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Huge_output_is_cut_at_the_limit()
    {
        var result = await Runner(outputLimit: 1000).RunAsync("seq", ["1", "2000000"], CancellationToken.None);

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

        Assert.Equal("src/File.cs\n", result.StandardOutput);
    }

    [Fact]
    public async Task A_symlink_named_without_a_slash_that_leads_out_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(workspace.Path, "evil"), "/etc/passwd");

        var refused = await Assert.ThrowsAsync<ProgramRefusedException>(() => Runner().RunAsync("cat", ["evil"], CancellationToken.None));

        Assert.Contains("outside the workspace", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dangling_symlink_that_would_write_outside_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(workspace.Path, "drop"), "/tmp/mcpsec-never-" + Guid.NewGuid().ToString("N"));

        var refused = await Assert.ThrowsAsync<ProgramRefusedException>(() => Runner().RunAsync("dd", ["if=/dev/null", "of=drop"], CancellationToken.None));

        Assert.Contains("outside the workspace", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dd", "if=/proc/self/environ")]
    [InlineData("dd", "of=../outside")]
    [InlineData("curl", "--data=@/etc/passwd")]
    [InlineData("curl", "@/etc/passwd")]
    [InlineData("dd", "if=evil")]
    public async Task Paths_in_key_value_option_and_at_file_forms_are_checked(string program, string argument)
    {
        File.CreateSymbolicLink(Path.Combine(workspace.Path, "evil"), "/etc/passwd");

        var refused = await Assert.ThrowsAsync<ProgramRefusedException>(() => Runner().RunAsync(program, [argument], CancellationToken.None));

        Assert.Contains("outside the workspace", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("FILE:/etc/passwd")]
    [InlineData("url=file:///etc/passwd")]
    [InlineData("jar:file:/etc/passwd!/x")]
    [InlineData("file:inside.txt")]
    public async Task File_URLs_are_refused(string argument)
    {
        var refused = await Assert.ThrowsAsync<ProgramRefusedException>(() => Runner().RunAsync("curl", [argument], CancellationToken.None));

        Assert.Contains("file: URL", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workspace_files_in_key_value_and_symlinks_inside_pass()
    {
        workspace.Write("data.txt", "inside\n");
        File.CreateSymbolicLink(Path.Combine(workspace.Path, "alias"), Path.Combine(workspace.Path, "data.txt"));

        var result = await Runner().RunAsync("dd", ["if=alias", "status=none"], CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("inside\n", result.StandardOutput);
    }

    [Fact]
    public async Task Background_children_end_when_the_program_ends()
    {
        var result = await Runner().RunAsync("sh", ["-c", "sleep 999 & echo $!"], CancellationToken.None);
        var orphan = int.Parse(result.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(0, result.ExitCode);
        Assert.True(await EndsWithinAsync(orphan, TimeSpan.FromSeconds(5)), $"background pid {orphan} still runs after the program ended");
    }

    [Fact]
    public async Task Background_children_end_when_the_program_times_out()
    {
        var result = await Runner(timeoutSeconds: 1).RunAsync("sh", ["-c", "sleep 999 & echo $!; sleep 30"], CancellationToken.None);
        var orphan = int.Parse(result.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(result.TimedOut);
        Assert.True(await EndsWithinAsync(orphan, TimeSpan.FromSeconds(5)), $"background pid {orphan} still runs after the timeout");
    }

    [Fact]
    public async Task The_program_leads_its_own_process_group()
    {
        // Field 5 of /proc/<pid>/stat is the process group: setsid made the program its leader.
        var result = await Runner().RunAsync("sh", ["-c", "echo $$; cut -d' ' -f5 /proc/$$/stat"], CancellationToken.None);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(lines[0], lines[1]);
    }

    /// <summary>Gone, or a zombie waiting for a reaper: either way it runs no more.</summary>
    private static async Task<bool> EndsWithinAsync(int pid, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            var stat = Path.Combine("/proc", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "stat");
            string text;
            try
            {
                text = await File.ReadAllTextAsync(stat);
            }
            catch (IOException)
            {
                return true;
            }

            if (text[(text.LastIndexOf(')') + 2)..].StartsWith('Z'))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
