using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers;

/// <summary>
/// The single source of truth for every rule: ID, title, message, default severity, category, help
/// link and options. Analyzers, the server's <c>rules</c> command and the documentation tests all
/// read from here; nothing about a rule is written twice. Each guide section declares its rules in
/// its own part (<c>ExceptionHandling/RuleCatalog.ExceptionHandling.cs</c>, …).
/// </summary>
public static partial class RuleCatalog
{
    public const string Category = "McpSecurity";

    /// <summary>
    /// Each diagnostic's help link is this plus <c>ID.md</c>: the rule's page in <c>docs/rules</c> at the
    /// project's home. Empty when the build set no home (<c>McpSecurityHomeUrl</c>): then a diagnostic
    /// carries no link rather than one to a site that is not ours, and the page ships in the package.
    /// </summary>
    public static string HelpLinkBase => BuildSettings.RulePagesUrl;

    /// <summary>The project's public home (<c>McpSecurityHomeUrl</c> at build time), or empty.</summary>
    public static string HomeUrl => BuildSettings.HomeUrl;

    /// <summary>The help link of rule <paramref name="id"/>: its page at the home, or empty without one.</summary>
    public static string HelpLinkOf(string id) => HelpLinkBase.Length == 0 ? string.Empty : HelpLinkBase + id + ".md";

    // ---- Shared options -------------------------------------------------------------------------

    public static readonly RuleOption ToolAttributes = new(
        "mcpsec.tool_attributes",
        "ModelContextProtocol.Server.McpServerToolAttribute,ModelContextProtocol.Server.McpServerPromptAttribute,ModelContextProtocol.Server.McpServerResourceAttribute",
        "Fully qualified names of the attributes that mark a method as an MCP tool, prompt or resource. "
        + "Start the value with '+' to add to the defaults (e.g. '+MyCompany.Mcp.ToolAttribute') instead of replacing them.",
        RuleIdentifiers.CatchAllSwallowsFailure,
        RuleIdentifiers.CommandLineBuiltFromStrings,
        RuleIdentifiers.ExecutableChosenByUntrustedInput,
        RuleIdentifiers.ArgumentValuesLogged,
        RuleIdentifiers.ArgumentValuesInErrors,
        RuleIdentifiers.ExceptionDetailsReturned,
        RuleIdentifiers.SecretValueLogged,
        RuleIdentifiers.ToolInputReachesFilePath,
        RuleIdentifiers.HiddenInstructionsInToolMetadata,
        RuleIdentifiers.IncomingCredentialsForwarded,
        RuleIdentifiers.ToolExposesEnvironment,
        RuleIdentifiers.ChildProcessInheritsSecrets);

    private static ImmutableArray<DiagnosticDescriptor> all;
    private static ImmutableArray<RuleOption> options;

    /// <summary>Every rule, ordered by ID: each public descriptor field of this class, whichever family file declares it.</summary>
    public static ImmutableArray<DiagnosticDescriptor> All
    {
        get
        {
            if (all.IsDefault)
            {
                all = FieldsOfType<DiagnosticDescriptor>().Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
            }

            return all;
        }
    }

    /// <summary>Every option, ordered by key.</summary>
    public static ImmutableArray<RuleOption> Options
    {
        get
        {
            if (options.IsDefault)
            {
                options = FieldsOfType<RuleOption>().Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            }

            return options;
        }
    }

    /// <summary>The options that change the behaviour of <paramref name="ruleId"/>.</summary>
    public static ImmutableArray<RuleOption> OptionsOf(string ruleId)
        => Options.RemoveAll(option => !option.RuleIds.Contains(ruleId));

    private static ImmutableArray<T> FieldsOfType<T>()
        where T : class
    {
        var builder = ImmutableArray.CreateBuilder<T>();
        foreach (var field in typeof(RuleCatalog).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is T value)
            {
                builder.Add(value);
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>The tag code-scanning tools file every McpSecurity finding under.</summary>
    public const string SecurityTag = "security";

    /// <param name="weaknesses">
    /// The CWE entries the rule's findings are instances of (<c>CWE-798</c>), as SARIF tags: code-scanning
    /// tools classify and filter by them. Declared with the descriptor so a rule is described in one place.
    /// </param>
    private static DiagnosticDescriptor Create(
        string id, string title, string message, DiagnosticSeverity severity, string description, string[] weaknesses)
        => new(
            id,
            title,
            message,
            Category,
            severity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpLinkOf(id),
            customTags: [SecurityTag, .. weaknesses]);

    /// <summary>
    /// The MSBuild properties the assembly was built with (AssemblyMetadata). A class of its own so its
    /// fields are set before the first descriptor of any family file reads them.
    /// </summary>
    private static class BuildSettings
    {
        public static readonly string HomeUrl = Metadata("McpSecurityHomeUrl");

        public static readonly string RulePagesUrl = Metadata("McpSecurityRulePagesUrl");

        private static string Metadata(string key)
            => typeof(RuleCatalog).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(attribute => attribute.Key == key)?.Value ?? string.Empty;
    }
}
