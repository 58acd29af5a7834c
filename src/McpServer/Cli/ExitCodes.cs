namespace McpSecurity.Server.Cli;

/// <summary>
/// The command line's exit codes. A CI gate reads 1 as "the code has findings" and 2 as "the scan could
/// not run", so bad input must never come back as 1.
/// </summary>
public static class ExitCodes
{
    public const int Clean = 0;
    public const int Findings = 1;
    public const int BadInput = 2;
}
