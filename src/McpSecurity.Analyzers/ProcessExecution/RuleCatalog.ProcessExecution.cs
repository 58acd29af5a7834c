using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers;

public static partial class RuleCatalog
{
    // ---- 4xx Process execution (guide S4) -------------------------------------------------------

    public static readonly DiagnosticDescriptor CommandRunThroughShell = Create(
        RuleIdentifiers.CommandRunThroughShell,
        "Command run through a shell",
        "'{0}' runs {1} through a shell; start the program itself with ArgumentList and UseShellExecute = false",
        DiagnosticSeverity.Error,
        "A shell or interpreter (sh, bash, cmd, powershell, python -c, …) given a command string parses "
        + "that string: quotes, ';', '&&', '|', '$(…)' and '&' in any part of it run whatever a caller "
        + "put there (guide S4: 'bash -c' and 'cmd /c' tool wrappers). Error when the command text is "
        + "not constant, Info when it is. Hand-made escaping does not make it safe.",
        weaknesses: ["CWE-78"]);

    public static readonly DiagnosticDescriptor CommandLineBuiltFromStrings = Create(
        RuleIdentifiers.CommandLineBuiltFromStrings,
        "Command line built from strings",
        "The command line of '{0}' is built from {1}; pass each argument through ArgumentList so a value stays one argument, and end the options before values from input",
        DiagnosticSeverity.Warning,
        "An Arguments string built by concatenation, interpolation, Format or Join is split again by the "
        + "process: a value with spaces or quotes becomes several arguments, and an argument starting "
        + "with '-' becomes an option ('git --upload-pack=…'). No shell is needed for that injection. "
        + "Error when untrusted MCP input is part of the command line.",
        weaknesses: ["CWE-88", "CWE-78"]);

    public static readonly DiagnosticDescriptor ShellExecuteWithNonConstantTarget = Create(
        RuleIdentifiers.ShellExecuteWithNonConstantTarget,
        "Shell execute with a non-constant target",
        "UseShellExecute = true opens '{0}' through the operating system's shell; set UseShellExecute = false and start a known program",
        DiagnosticSeverity.Error,
        "With UseShellExecute = true the target is opened by the desktop shell: a URL, a document or a "
        + "script runs whatever program is registered for it, and a file name chosen by a caller opens "
        + "anything on the machine.",
        weaknesses: ["CWE-78"]);

    public static readonly DiagnosticDescriptor ProcessWaitWithoutTimeout = Create(
        RuleIdentifiers.ProcessWaitWithoutTimeout,
        "Process wait without timeout",
        "'{0}' waits for the process with no timeout; wait for a bounded time and kill the process tree when it expires",
        DiagnosticSeverity.Warning,
        "A child process that hangs (waiting for input, a lock, a network peer) blocks the tool call and "
        + "its thread forever; the guide's safe pattern has 'timeout=30'. Use WaitForExit(TimeSpan) or "
        + "WaitForExitAsync with a cancellation token, and kill the process tree when the time is up.",
        weaknesses: ["CWE-400"]);

    public static readonly DiagnosticDescriptor ExecutableChosenByUntrustedInput = Create(
        RuleIdentifiers.ExecutableChosenByUntrustedInput,
        "Executable chosen by untrusted MCP input",
        "The executable '{0}' derives from untrusted MCP input '{1}' with no allow-list check; map the request to a fixed program",
        DiagnosticSeverity.Error,
        "A tool whose client chooses the program to run is a remote shell, whatever the arguments. Check "
        + "the name against a fixed allow list before use ('if (!Allowed.Contains(name)) throw …'), or "
        + "look the program up in a table of known paths.",
        weaknesses: ["CWE-78"]);

    public static readonly RuleOption ProcessTimeoutSeconds = new(
        "mcpsec.process_timeout_seconds",
        "30",
        "The timeout, in seconds, that the MCPSEC404 fix writes into a bounded process wait.",
        RuleIdentifiers.ProcessWaitWithoutTimeout);
}
