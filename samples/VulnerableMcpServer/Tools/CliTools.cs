using System.ComponentModel;
using System.Diagnostics;
using ModelContextProtocol.Server;

namespace VulnerableMcpServer.Tools;

/// <summary>
/// The guide's meta_tools/use_cli_program_as_tool and development_tools/linting_tools: command-line
/// programs run for the model, inside the project's Python virtual environment.
/// </summary>
[McpServerToolType]
public sealed class CliTools
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [McpServerTool(Name = "run_cli_program")]
    [Description("Runs any command-line program with the given arguments and returns its standard output.")]
    public static async Task<string> RunCliProgramAsync(
        [Description("The program to run, e.g. 'ruff' or 'pytest'.")] string program,
        [Description("The program's arguments.")] string[] arguments,
        CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo // planted: MCPSEC609 the program inherits SECRET_KEY and every token of the server
        {
            FileName = program, // planted: MCPSEC405 the client chooses the executable: a remote shell
            Arguments = string.Join(" ", arguments), // planted: MCPSEC402 arguments re-split by the child: '--upload-pack=…' becomes an option
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(startInfo)!;
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        process.WaitForExit(); // planted: MCPSEC404 a program that never exits hangs the tool call forever
        return output;
    }

    [McpServerTool(Name = "lint_python")]
    [Description("Runs ruff on a file of the project, inside its virtual environment, and returns the findings.")]
    public static async Task<string> LintPythonAsync(
        [Description("The Python file to lint, relative to the project.")] string file,
        CancellationToken cancellationToken)
    {
        using var process = Process.Start(VenvShell.Wrap(["ruff", "check", file]))!;
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        await process.WaitForExitAsync(timeout.Token);
        return output;
    }
}

/// <summary>
/// The guide's shell wrapper, which its own S4 checklist never listed:
/// <c>["bash", "-c", "source .venv/bin/activate &amp;&amp; " + shlex.join(cmd)]</c>, and <c>cmd /c</c> on
/// Windows, where that quoting is not even valid.
/// </summary>
public static class VenvShell
{
    public static ProcessStartInfo Wrap(IReadOnlyList<string> command)
    {
        var startInfo = new ProcessStartInfo { RedirectStandardOutput = true, UseShellExecute = false }; // planted: MCPSEC609 the wrapped command inherits the server's environment
        if (OperatingSystem.IsWindows())
        {
            startInfo.FileName = "cmd.exe";
            startInfo.ArgumentList.Add("/c");
            startInfo.ArgumentList.Add(@".venv\Scripts\activate.bat && " + string.Join(" ", command)); // planted: MCPSEC401 cmd parses '&', '|' and '%VAR%' in every argument
            return startInfo;
        }

        // shlex.join: hand-made quoting does not make a shell command safe.
        var joined = string.Join(" ", command.Select(word => "'" + word.Replace("'", "'\\''") + "'"));
        startInfo.FileName = "bash";
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add("source .venv/bin/activate && " + joined); // planted: MCPSEC401 bash parses the whole command line
        return startInfo;
    }
}
