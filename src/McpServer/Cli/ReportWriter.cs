using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpSecurity.Analyzers;
using McpSecurity.Server.Engine;
using McpSecurity.Server.Tools;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Server.Cli;

/// <summary>
/// Renders a scan as text (one line per finding, compiler style), JSON or SARIF 2.1.0. Every format names
/// a file the same way: relative to the display base (the current directory for the command line) when
/// it lies below it, absolute otherwise; SARIF says so with the <c>%SRCROOT%</c> base, so code scanning
/// maps the results onto the repository when the scan runs from its root.
/// </summary>
public static class ReportWriter
{
    /// <summary>
    /// The version of the JSON report's shape. Raised when a field is removed or changes meaning (adding
    /// a field does not), so a script can refuse a report it does not understand.
    /// </summary>
    public const int JsonSchemaVersion = 1;

    /// <summary>The SARIF base every relative result URI is resolved against.</summary>
    public const string SourceRootBaseId = "%SRCROOT%";

    /// <summary>This tool's version as built (informational version: the package version and the source revision).</summary>
    public static string ToolVersion { get; } =
        typeof(ReportWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ReportWriter).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <param name="displayBase">The folder the findings' relative paths are relative to (<see cref="SourceSet.DisplayBase"/>).</param>
    public static string Render(ScanResult result, string format, string displayBase) => format switch
    {
        "json" => JsonSerializer.Serialize(
            new
            {
                schemaVersion = JsonSchemaVersion,
                tool = new { name = "McpSecurity", version = ToolVersion },
                findings = result.Findings,
                filesScanned = result.FilesScanned,
            },
            Json),
        "sarif" => Sarif(result, displayBase),
        _ => Text(result),
    };

    private static string Text(ScanResult result)
    {
        var text = new StringBuilder();
        foreach (var f in result.Findings)
        {
            text.Append(f.File).Append('(').Append(f.Line).Append(',').Append(f.Column).Append("): ")
                .Append(f.Severity).Append(' ').Append(f.Id).Append(": ").Append(f.Message).Append('\n');
        }

        text.Append(result.Findings.Count).Append(result.Findings.Count == 1 ? " finding" : " findings")
            .Append(" in ").Append(result.FilesScanned).Append(result.FilesScanned == 1 ? " file.\n" : " files.\n");
        return text.ToString();
    }

    private static string Sarif(ScanResult result, string displayBase)
    {
        var rules = new JsonArray(RuleCatalog.All.Select(rule => (JsonNode)SarifRule(rule)).ToArray());
        var results = new JsonArray(result.Findings.Select(f => (JsonNode)new JsonObject
        {
            ["ruleId"] = f.Id,
            ["level"] = Level(f.Severity),
            ["message"] = new JsonObject { ["text"] = f.Message },
            ["locations"] = new JsonArray(new JsonObject
            {
                ["physicalLocation"] = new JsonObject
                {
                    ["artifactLocation"] = ArtifactLocation(f.File),
                    ["region"] = new JsonObject { ["startLine"] = f.Line, ["startColumn"] = f.Column },
                },
            }),
        }).ToArray());
        var driver = new JsonObject
        {
            ["name"] = "McpSecurity",
            ["version"] = ToolVersion,
            ["semanticVersion"] = ToolVersion,
        };
        if (RuleCatalog.HomeUrl.Length > 0)
        {
            driver["informationUri"] = RuleCatalog.HomeUrl;
        }

        driver["rules"] = rules;
        var log = new JsonObject
        {
            ["$schema"] = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject { ["driver"] = driver },
                ["originalUriBaseIds"] = new JsonObject
                {
                    [SourceRootBaseId] = new JsonObject { ["uri"] = new Uri(Path.TrimEndingDirectorySeparator(Path.GetFullPath(displayBase)) + Path.DirectorySeparatorChar).AbsoluteUri },
                },
                ["columnKind"] = "utf16CodeUnits",
                ["results"] = results,
            }),
        };
        return log.ToJsonString(Json);
    }

    private static JsonObject SarifRule(DiagnosticDescriptor rule)
    {
        var entry = new JsonObject
        {
            ["id"] = rule.Id,
            ["name"] = rule.Title.ToString(),
            ["shortDescription"] = new JsonObject { ["text"] = rule.Title.ToString() },
            ["fullDescription"] = new JsonObject { ["text"] = rule.Description.ToString() },
        };
        if (!string.IsNullOrEmpty(rule.HelpLinkUri))
        {
            entry["helpUri"] = rule.HelpLinkUri;
        }

        // The page itself, so code scanning shows the rule's help with or without a reachable link.
        if (RulePages.Find(rule.Id) is { } page)
        {
            entry["help"] = new JsonObject { ["text"] = rule.Description.ToString(), ["markdown"] = page };
        }

        entry["defaultConfiguration"] = new JsonObject { ["level"] = Level(rule.DefaultSeverity.ToString().ToLowerInvariant()) };
        entry["properties"] = new JsonObject { ["tags"] = new JsonArray(rule.CustomTags.Select(tag => (JsonNode)JsonValue.Create(tag)).ToArray()) };
        return entry;
    }

    /// <summary>A relative path against <c>%SRCROOT%</c>, each segment escaped; a path outside the base as a file URI.</summary>
    private static JsonObject ArtifactLocation(string file)
    {
        if (Path.IsPathRooted(file))
        {
            return new JsonObject { ["uri"] = new Uri(file).AbsoluteUri };
        }

        var uri = string.Join('/', file.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));
        return new JsonObject { ["uri"] = uri, ["uriBaseId"] = SourceRootBaseId };
    }

    private static string Level(string severity) => severity switch
    {
        "error" => "error",
        "warning" => "warning",
        _ => "note",
    };

    public static void WriteTo(string content, string? outputFile, TextWriter console)
    {
        if (string.IsNullOrEmpty(outputFile))
        {
            console.Write(content);
            return;
        }

        File.WriteAllText(outputFile, content);
    }
}
