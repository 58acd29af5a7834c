using NJsonSchema;

namespace McpSecurity.Package.Tests.Infrastructure;

/// <summary>The official SARIF 2.1.0 JSON schema (tests/TestSupport/Schemas), loaded once.</summary>
public static class SarifSchema
{
    private static readonly Lazy<Task<JsonSchema>> Schema = new(
        () => JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "Schemas", "sarif-schema-2.1.0.json")));

    /// <summary>Every way <paramref name="json"/> breaks the schema, one line each; empty when it is valid SARIF 2.1.0.</summary>
    public static async Task<IReadOnlyList<string>> ValidateAsync(string json)
    {
        var schema = await Schema.Value;
        return schema.Validate(json).Select(error => error.ToString()).ToList();
    }
}
