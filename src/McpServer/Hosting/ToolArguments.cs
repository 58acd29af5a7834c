using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace McpSecurity.Server.Hosting;

/// <summary>
/// Checks a tool call's arguments against the tool's own input schema before the SDK binds them, so a
/// wrong-typed or missing argument gets an error that names the argument and what it expects instead of
/// a generic failure. The message names JSON types only, never the values: they may be secrets (guide S5).
/// </summary>
public static class ToolArguments
{
    /// <summary>The first problem found, or null when the arguments fit the schema.</summary>
    public static string? FindProblem(JsonElement inputSchema, IDictionary<string, JsonElement>? arguments)
    {
        arguments ??= new Dictionary<string, JsonElement>();
        if (inputSchema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var properties = inputSchema.TryGetProperty("properties", out var declared) && declared.ValueKind == JsonValueKind.Object ? declared : default;
        if (inputSchema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!))
            {
                if (!arguments.ContainsKey(name))
                {
                    var expected = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var schema) ? Describe(schema) : "a value";
                    return $"Argument '{name}' is required: expected {expected}.";
                }
            }
        }

        if (properties.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var (name, value) in arguments.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (properties.TryGetProperty(name, out var schema) && Mismatch(schema, value, $"'{name}'") is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? Mismatch(JsonElement schema, JsonElement value, string where)
    {
        var types = Types(schema);
        if (types.Count > 0 && !types.Any(type => Matches(type, value)))
        {
            return $"Argument {where} must be {Describe(schema)}, not {Article(Name(value))}.";
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (Mismatch(items, item, $"{where} item {index}") is { } problem)
                {
                    return problem;
                }

                index++;
            }
        }

        if (value.ValueKind == JsonValueKind.String && schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array
            && !allowed.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.ValueEquals(value.GetString())))
        {
            return $"Argument {where} must be {Describe(schema)}.";
        }

        return null;
    }

    private static List<string> Types(JsonElement schema)
        => !schema.TryGetProperty("type", out var type) ? []
            : type.ValueKind == JsonValueKind.String ? [type.GetString()!]
            : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList()
            : [];

    /// <summary>"a string", "an array of strings", "one of: info, warning, error", each "or null" where null is allowed.</summary>
    private static string Describe(JsonElement schema)
    {
        if (schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array)
        {
            return "one of: " + string.Join(", ", allowed.EnumerateArray().Select(a => a.ToString()));
        }

        var types = Types(schema);
        var named = types.Where(t => t != "null").Select(t => t == "array" && schema.TryGetProperty("items", out var items) && Types(items).FirstOrDefault(i => i != "null") is { } item
            ? $"an array of {Plural(item)}"
            : Article(t)).ToList();
        var text = named.Count == 0 ? "a value" : string.Join(" or ", named);
        return types.Contains("null") ? text + " or null" : text;
    }

    private static bool Matches(string type, JsonElement value) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        _ => true,
    };

    private static string Name(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };

    private static string Article(string type) => type switch
    {
        "null" => "null",
        "integer" or "array" or "object" => "an " + type,
        _ => "a " + type,
    };

    private static string Plural(string type) => type == "boolean" ? "booleans" : type + "s";
}
