namespace McpSecurity.Presets;

/// <summary>The values of the <c>McpSecurityAnalysisMode</c> MSBuild property; each has its globalconfig in the package.</summary>
public enum AnalysisMode
{
    /// <summary>Each rule at its catalogue severity (the default).</summary>
    Recommended,

    /// <summary>Every rule an error.</summary>
    Strict,

    /// <summary>Only the Error rules whose weakness is in the CWE Top 25; every other rule off.</summary>
    Minimal,

    /// <summary>Every rule off.</summary>
    None,
}
