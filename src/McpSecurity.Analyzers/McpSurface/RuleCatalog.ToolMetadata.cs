using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers;

public static partial class RuleCatalog
{
    // ---- 6xx MCP surface: what a tool tells the client about itself -----------------------------

    public static readonly DiagnosticDescriptor HiddenInstructionsInToolMetadata = Create(
        RuleIdentifiers.HiddenInstructionsInToolMetadata,
        "Hidden instructions in tool metadata",
        "The {0} contains {1}, which the model reads as an instruction the user does not see",
        DiagnosticSeverity.Error,
        "A client's model reads the description, title and name of every tool, parameter, prompt and "
        + "resource it is offered as instructions. Invisible or bidirectional Unicode hides text from the "
        + "person reviewing the server, and phrases that tell the model to keep something from the user or "
        + "to read SSH keys and .env files are the tool-poisoning attack that MCP scanners look for in "
        + "running servers. Remove the characters and the instruction.",
        weaknesses: ["CWE-1427"]);

    public static readonly DiagnosticDescriptor ReadOnlyAnnotationContradicted = Create(
        RuleIdentifiers.ReadOnlyAnnotationContradicted,
        "Read-only annotation contradicts the tool",
        "Tool '{0}' is annotated '{1}' but {2}",
        DiagnosticSeverity.Warning,
        "Clients let a model call a tool annotated ReadOnly = true (or Destructive = false) without "
        + "asking the user, because the annotation promises that the call changes nothing (or only adds). "
        + "A tool that writes or deletes files, starts a process or sends a modifying HTTP request breaks "
        + "that promise and gets its side effects approved unseen. Make the annotation say what the tool does.",
        weaknesses: ["CWE-1068"]);
}
