using System.Text.Json;

namespace McpSecurity.Server.Tests;

/// <summary>
/// Results conform to the output schema each tool publishes: clients that validate (the official
/// TypeScript SDK does) reject a result that misses a property the schema marks required.
/// </summary>
public sealed class ToolSchemaTests
{
    private static readonly Dictionary<string, string?> RunSettings = new()
    {
        ["McpServer:AllowedPrograms:sleep:Path"] = "/bin/sleep",
        ["McpServer:ProgramTimeoutSeconds"] = "1",
    };

    [Theory]
    [InlineData("echo", "hi")]
    [InlineData("sleep", "5")]
    public async Task Run_program_results_match_its_output_schema(string program, string argument)
    {
        await using var server = await HttpServer.StartAsync(RunSettings);
        using var client = server.CreateClient(HttpServer.Token(scopes: "mcp:tools mcp:run"));

        var schema = await OutputSchemaAsync(client, "run_program");
        using var response = await client.SendAsync(HttpServer.McpRequest(
            """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"run_program","arguments":{"program":""" + $"\"{program}\",\"arguments\":[\"{argument}\"]}}}}}}"));
        var result = (await HttpServer.ReadJsonRpcAsync(response)).GetProperty("result");

        Assert.False(result.TryGetProperty("isError", out var isError) && isError.GetBoolean());
        var problems = new List<string>();
        SchemaCheck.Validate(schema, result.GetProperty("structuredContent"), "$", problems);
        Assert.Empty(problems);
        Assert.NotEmpty(schema.GetProperty("required").EnumerateArray());
    }

    [Fact]
    public async Task A_refused_run_is_an_error_result_with_the_reason()
    {
        await using var server = await HttpServer.StartAsync();
        using var client = server.CreateClient(HttpServer.Token(scopes: "mcp:tools mcp:run"));

        using var response = await client.SendAsync(HttpServer.McpRequest(
            """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"run_program","arguments":{"program":"bash","arguments":["-c","id"]}}}"""));
        var result = (await HttpServer.ReadJsonRpcAsync(response)).GetProperty("result");

        Assert.True(result.GetProperty("isError").GetBoolean());
        Assert.Contains("not on the allow-list", result.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> OutputSchemaAsync(HttpClient client, string tool)
    {
        using var response = await client.SendAsync(HttpServer.McpRequest());
        var tools = (await HttpServer.ReadJsonRpcAsync(response)).GetProperty("result").GetProperty("tools");
        return tools.EnumerateArray().Single(t => t.GetProperty("name").GetString() == tool).GetProperty("outputSchema");
    }
}

/// <summary>The JSON Schema keywords the SDK generates (type, properties, required, items), checked independently of the server.</summary>
internal static class SchemaCheck
{
    public static void Validate(JsonElement schema, JsonElement value, string path, List<string> problems)
    {
        if (schema.TryGetProperty("type", out var type))
        {
            var allowed = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
            if (!allowed.Any(t => Matches(t, value)))
            {
                problems.Add($"{path}: {value.ValueKind} is not {string.Join("|", allowed)}");
                return;
            }
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("required", out var required))
            {
                foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                {
                    if (!value.TryGetProperty(name, out _))
                    {
                        problems.Add($"{path}.{name}: required but missing");
                    }
                }
            }

            if (schema.TryGetProperty("properties", out var properties))
            {
                foreach (var property in properties.EnumerateObject())
                {
                    if (value.TryGetProperty(property.Name, out var child))
                    {
                        Validate(property.Value, child, $"{path}.{property.Name}", problems);
                    }
                }
            }
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Validate(items, item, $"{path}[{index++}]", problems);
            }
        }
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
        _ => false,
    };
}
