using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpSecurity.Analyzers;
using McpSecurity.Server.Engine;

namespace McpSecurity.Server.Cli;

/// <summary>Renders a scan as text (one line per finding, compiler style), JSON or SARIF 2.1.0.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Render(ScanResult result, string format) => format switch
    {
        "json" => JsonSerializer.Serialize(new { findings = result.Findings, filesScanned = result.FilesScanned }, Json),
        "sarif" => Sarif(result),
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

    private static string Sarif(ScanResult result)
    {
        var rules = new JsonArray(RuleCatalog.All.Select(rule => (JsonNode)new JsonObject
        {
            ["id"] = rule.Id,
            ["name"] = rule.Title.ToString(),
            ["shortDescription"] = new JsonObject { ["text"] = rule.Title.ToString() },
            ["fullDescription"] = new JsonObject { ["text"] = rule.Description.ToString() },
            ["helpUri"] = rule.HelpLinkUri,
            ["defaultConfiguration"] = new JsonObject { ["level"] = Level(rule.DefaultSeverity.ToString().ToLowerInvariant()) },
            ["properties"] = new JsonObject { ["tags"] = new JsonArray(rule.CustomTags.Select(tag => (JsonNode)JsonValue.Create(tag)).ToArray()) },
        }).ToArray());
        var results = new JsonArray(result.Findings.Select(f => (JsonNode)new JsonObject
        {
            ["ruleId"] = f.Id,
            ["level"] = Level(f.Severity),
            ["message"] = new JsonObject { ["text"] = f.Message },
            ["locations"] = new JsonArray(new JsonObject
            {
                ["physicalLocation"] = new JsonObject
                {
                    ["artifactLocation"] = new JsonObject { ["uri"] = f.File.Replace('\\', '/') },
                    ["region"] = new JsonObject { ["startLine"] = f.Line, ["startColumn"] = f.Column },
                },
            }),
        }).ToArray());
        var log = new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = "McpSecurity",
                        ["informationUri"] = "https://github.com/mcpsecurity/McpSecurity",
                        ["rules"] = rules,
                    },
                },
                ["results"] = results,
            }),
        };
        return log.ToJsonString(Json);
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
