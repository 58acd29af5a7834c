using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace McpSecurity.Server.Tests;

/// <summary>
/// A seeded fuzzer over malformed JSON-RPC: wrong types for every field, missing fields, huge numbers,
/// deep nesting, invalid UTF-8, missing or wrong Content-Type, batches. No request may get HTTP 500 or
/// a stack trace; the counts are written to the test output.
/// </summary>
public sealed partial class MalformedRequestFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261207;
    private const int RequestCount = 2000;

    private static readonly string[] Templates =
    [
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{"roots":{"listChanged":true}},"clientInfo":{"name":"fuzz","version":"1.0"}}}""",
        """{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"cursor":"x"}}""",
        """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"run_program","arguments":{"program":"echo","arguments":["a","b"]}}}""",
        """{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"explain_rule","arguments":{"id":"NOPE"}}}""",
        """{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"scan_code","arguments":{"source":7,"minimumSeverity":"error"}}}""",
        """{"jsonrpc":"2.0","id":6,"method":"ping"}""",
        """{"jsonrpc":"2.0","method":"notifications/initialized"}""",
        """{"jsonrpc":"2.0","id":7,"method":"logging/setLevel","params":{"level":"debug"}}""",
        """{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"fix_code","arguments":{"source":false,"rules":["MCPSEC201"]}}}""",
    ];

    private static readonly string[] Strings = ["", "x", "tools/call", "run_program", "initialize", "scan_path", "2.0", "\u0000", "\uFFFF", "é", new string('a', 3000)];

    [Fact]
    public async Task Malformed_requests_never_get_500_or_a_stack_trace()
    {
        await using var server = await HttpServer.StartAsync(new Dictionary<string, string?> { ["McpServer:RequestsPerMinute"] = "1000000" });
        var random = new Random(Seed);
        var clients = new[]
        {
            server.CreateClient(HttpServer.Token(scopes: "mcp:tools")),
            server.CreateClient(HttpServer.Token(scopes: "mcp:tools mcp:run")),
            server.CreateClient(),
        };
        var statuses = new SortedDictionary<int, int>();
        var failures = new List<string>();
        for (var i = 0; i < RequestCount; i++)
        {
            var (kind, body, contentType) = NextRequest(random);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            HttpStatusCode status;
            string text;
            try
            {
                using var response = await clients[i % 2 == 0 ? 0 : i % 7 == 0 ? 2 : 1].SendAsync(request);
                status = response.StatusCode;
                text = await response.Content.ReadAsStringAsync();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // TestServer hands an unhandled exception to the client; Kestrel would answer 500.
                status = HttpStatusCode.InternalServerError;
                text = ex.GetType().FullName + ": " + ex.Message;
            }

            statuses[(int)status] = statuses.GetValueOrDefault((int)status) + 1;
            if (status == HttpStatusCode.InternalServerError || StackTrace().IsMatch(text))
            {
                failures.Add($"#{i} {kind}: {(int)status} {Clip(Encoding.UTF8.GetString(body))} -> {Clip(text)}");
            }
        }

        foreach (var client in clients)
        {
            client.Dispose();
        }

        output.WriteLine($"seed {Seed}: {RequestCount} requests; status codes: {string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}"))}; failures: {failures.Count}");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    private static (string Kind, byte[] Body, string? ContentType) NextRequest(Random random)
    {
        var template = Templates[random.Next(Templates.Length)];
        const string json = "application/json";
        switch (random.Next(12))
        {
            case 0:
                return ("no content type", Encoding.UTF8.GetBytes(template), null);
            case 1:
                return ("wrong content type", Encoding.UTF8.GetBytes(template), random.Next(3) switch { 0 => "text/plain", 1 => "application/xml", _ => "multipart/form-data; boundary=x" });
            case 2:
                return ("deep nesting", Encoding.UTF8.GetBytes(DeepNesting(random, template)), json);
            case 3:
                return ("invalid UTF-8", InvalidUtf8(random, template), json);
            case 4:
                return ("batch", Encoding.UTF8.GetBytes(Batch(random)), json);
            case 5:
                return ("truncated", Encoding.UTF8.GetBytes(template[..random.Next(template.Length)]), json);
            case 6:
                return ("missing field", Encoding.UTF8.GetBytes(Mutate(random, template, remove: true)), json);
            case 7:
                return ("non-object", Encoding.UTF8.GetBytes(RandomValue(random, 2)?.ToJsonString() ?? "null"), json);
            default:
                return ("wrong type", Encoding.UTF8.GetBytes(Mutate(random, template, remove: false)), json);
        }
    }

    /// <summary>Replaces (or removes) one field anywhere in the message with a value of some other JSON type.</summary>
    private static string Mutate(Random random, string template, bool remove)
    {
        var root = JsonNode.Parse(template)!.AsObject();
        var fields = new List<(JsonNode Parent, string? Name, int Index)>();
        Collect(root, fields);
        var (parent, name, index) = fields[random.Next(fields.Count)];
        var value = RandomValue(random, 3);
        if (parent is JsonObject obj)
        {
            if (remove)
            {
                obj.Remove(name!);
            }
            else
            {
                obj[name!] = value;
            }
        }
        else if (parent is JsonArray array)
        {
            if (remove)
            {
                array.RemoveAt(index);
            }
            else
            {
                array[index] = value;
            }
        }

        return root.ToJsonString();
    }

    private static void Collect(JsonNode node, List<(JsonNode, string?, int)> fields)
    {
        if (node is JsonObject obj)
        {
            foreach (var (name, child) in obj.ToList())
            {
                fields.Add((obj, name, -1));
                if (child is not null)
                {
                    Collect(child, fields);
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                fields.Add((array, null, i));
                if (array[i] is { } child)
                {
                    Collect(child, fields);
                }
            }
        }
    }

    private static JsonNode? RandomValue(Random random, int depth) => random.Next(depth <= 0 ? 7 : 9) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonNode.Parse(random.Next(4) switch { 0 => "1e400", 1 => "-123456789012345678901234567890", 2 => "-0.0", _ => "9223372036854775808" }),
        3 => JsonValue.Create(random.Next(int.MinValue, int.MaxValue)),
        4 => JsonValue.Create(random.NextDouble() * 1e10),
        5 or 6 => JsonValue.Create(Strings[random.Next(Strings.Length)]),
        7 => new JsonArray([.. Enumerable.Range(0, random.Next(3)).Select(_ => RandomValue(random, depth - 1))]),
        _ => new JsonObject(Enumerable.Range(0, random.Next(3)).Select(i => KeyValuePair.Create(Strings[random.Next(Strings.Length)] + i, RandomValue(random, depth - 1)))),
    };

    private static string DeepNesting(Random random, string template)
    {
        var depth = random.Next(2) == 0 ? random.Next(60, 70) : random.Next(1000, 100_000);
        var (open, close) = random.Next(2) == 0 ? ("[", "]") : ("{\"a\":", "}");
        var nested = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        return random.Next(2) == 0 ? nested : template.Replace("\"params\":{", "\"params\":{\"deep\":" + nested + ",", StringComparison.Ordinal);
    }

    private static byte[] InvalidUtf8(Random random, string template)
    {
        var bytes = Encoding.UTF8.GetBytes(template).ToList();
        byte[][] bad = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF0, 0x28, 0x8C, 0x28], [0xC0, 0xAF]];
        var at = template.IndexOf("\"method\":\"", StringComparison.Ordinal) is var m and >= 0 && random.Next(2) == 0 ? m + 10 : random.Next(bytes.Count);
        bytes.InsertRange(at, bad[random.Next(bad.Length)]);
        return [.. bytes];
    }

    private static string Batch(Random random)
    {
        var count = random.Next(4);
        var items = Enumerable.Range(0, count).Select(_ => Mutate(random, Templates[random.Next(Templates.Length)], remove: random.Next(2) == 0));
        return "[" + string.Join(",", items) + "]";
    }

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";

    [GeneratedRegex(@"\n\s+at [\w.`<>\[\]]+\(|\b(System|Microsoft|ModelContextProtocol)(\.\w+)+Exception\b")]
    private static partial Regex StackTrace();
}
