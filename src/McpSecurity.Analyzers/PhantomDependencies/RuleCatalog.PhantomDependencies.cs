using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers;

public static partial class RuleCatalog
{
    // ---- 3xx Phantom dependencies (guide S3) ------------------------------------------------------

    public static readonly DiagnosticDescriptor LoadOfMissingTypeOrAssembly = Create(
        RuleIdentifiers.LoadOfMissingTypeOrAssembly,
        "Load of a type or assembly that does not exist",
        "{0} loads '{1}', which {2}",
        DiagnosticSeverity.Warning,
        "The compiler rejects a missing namespace or type, but not a name in a string: Type.GetType, "
        + "Assembly.Load, Assembly.GetType, Activator.CreateInstance and AppDomain.CreateInstance with a "
        + "constant name that resolves to nothing compile, then return null or throw when the server "
        + "starts (guide S3: a hallucinated import crashed the server at startup).",
        weaknesses: ["CWE-829"]);
}
