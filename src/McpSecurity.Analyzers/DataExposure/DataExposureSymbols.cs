using McpSecurity.Analyzers.Secrets;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers.DataExposure;

/// <summary>
/// The well-known types the data-exposure rules recognise, resolved once per compilation. Any of
/// them may be absent (no logging package, no ASP.NET Core, no MCP SDK): the sinks that need a
/// missing type are then simply not recognised.
/// </summary>
internal sealed class DataExposureSymbols
{
    private DataExposureSymbols(Compilation compilation)
    {
        Exception = compilation.GetTypeByMetadataName("System.Exception");
        McpException = compilation.GetTypeByMetadataName("ModelContextProtocol.McpException");
        ILogger = compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.ILogger");
        LoggerExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.LoggerExtensions");
        LoggerMessageAttribute = compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.LoggerMessageAttribute");
        Console = compilation.GetTypeByMetadataName("System.Console");
        Debug = compilation.GetTypeByMetadataName("System.Diagnostics.Debug");
        Trace = compilation.GetTypeByMetadataName("System.Diagnostics.Trace");
        TraceSource = compilation.GetTypeByMetadataName("System.Diagnostics.TraceSource");
        Activity = compilation.GetTypeByMetadataName("System.Diagnostics.Activity");
        StackTrace = compilation.GetTypeByMetadataName("System.Diagnostics.StackTrace");
        Environment = compilation.GetTypeByMetadataName("System.Environment");
        KeyValuePair = compilation.GetTypeByMetadataName("System.Collections.Generic.KeyValuePair`2");
        EnumerableOfT = compilation.GetSpecialType(SpecialType.System_Collections_Generic_IEnumerable_T);
        JsonElement = compilation.GetTypeByMetadataName("System.Text.Json.JsonElement");
        JsonProperty = compilation.GetTypeByMetadataName("System.Text.Json.JsonProperty");
        JsonDocument = compilation.GetTypeByMetadataName("System.Text.Json.JsonDocument");
        JsonNode = compilation.GetTypeByMetadataName("System.Text.Json.Nodes.JsonNode");
        StringBuilder = compilation.GetTypeByMetadataName("System.Text.StringBuilder");
        Results = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.Results");
        TypedResults = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.TypedResults");
        HttpResponseWritingExtensions = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.HttpResponseWritingExtensions");
        HttpResponseJsonExtensions = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.HttpResponseJsonExtensions");
        ControllerBase = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Mvc.ControllerBase");
        ProblemDetails = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Mvc.ProblemDetails");
        ActionResult = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Mvc.ActionResult");
        Secrets = SecretSymbols.Create(compilation);
    }

    public INamedTypeSymbol? Exception { get; }

    public INamedTypeSymbol? McpException { get; }

    public INamedTypeSymbol? ILogger { get; }

    public INamedTypeSymbol? LoggerExtensions { get; }

    public INamedTypeSymbol? LoggerMessageAttribute { get; }

    public INamedTypeSymbol? Console { get; }

    public INamedTypeSymbol? Debug { get; }

    public INamedTypeSymbol? Trace { get; }

    public INamedTypeSymbol? TraceSource { get; }

    public INamedTypeSymbol? Activity { get; }

    public INamedTypeSymbol? StackTrace { get; }

    public INamedTypeSymbol? Environment { get; }

    public INamedTypeSymbol? KeyValuePair { get; }

    public INamedTypeSymbol EnumerableOfT { get; }

    public INamedTypeSymbol? JsonElement { get; }

    public INamedTypeSymbol? JsonProperty { get; }

    public INamedTypeSymbol? JsonDocument { get; }

    public INamedTypeSymbol? JsonNode { get; }

    public INamedTypeSymbol? StringBuilder { get; }

    public INamedTypeSymbol? Results { get; }

    public INamedTypeSymbol? TypedResults { get; }

    public INamedTypeSymbol? HttpResponseWritingExtensions { get; }

    public INamedTypeSymbol? HttpResponseJsonExtensions { get; }

    public INamedTypeSymbol? ControllerBase { get; }

    public INamedTypeSymbol? ProblemDetails { get; }

    public INamedTypeSymbol? ActionResult { get; }

    public SecretSymbols Secrets { get; }

    public static DataExposureSymbols Create(Compilation compilation) => new(compilation);

    public bool IsException(ITypeSymbol? type) => SecretSymbols.IsOrInherits(type, Exception);

    public bool IsMcpException(ITypeSymbol? type) => SecretSymbols.IsOrInherits(type, McpException);

    public bool IsLogger(ITypeSymbol? type) => SecretSymbols.IsOrInherits(type, ILogger);
}
