namespace McpSecurity.TestSupport;

/// <summary>
/// The parts of the MCP SDK (ModelContextProtocol 2.3.1) that the untrusted-input model knows, in
/// source with their real metadata names: the tool attributes, the injected McpServer and
/// RequestContext&lt;&gt;, CallToolRequestParams and the delegate factory McpServerTool.Create.
/// Use instead of (not together with) <see cref="TestReferences.McpSdkStubs"/>.
/// </summary>
public static class McpServerStubs
{
    public const string Source = """
        namespace ModelContextProtocol
        {
            public class McpException : System.Exception
            {
                public McpException(string message) : base(message) { }
                public McpException(string message, System.Exception? innerException) : base(message, innerException) { }
            }

            public sealed class ProgressNotificationValue { public float Progress { get; set; } }
        }

        namespace ModelContextProtocol.Protocol
        {
            public sealed class CallToolRequestParams
            {
                public string Name { get; set; } = "";
                public System.Collections.Generic.IDictionary<string, System.Text.Json.JsonElement>? Arguments { get; set; }
            }
        }

        namespace ModelContextProtocol.Server
        {
            [System.AttributeUsage(System.AttributeTargets.Class)]
            public sealed class McpServerToolTypeAttribute : System.Attribute { }

            [System.AttributeUsage(System.AttributeTargets.Method)]
            public sealed class McpServerToolAttribute : System.Attribute
            {
                public string? Name { get; set; }
                public bool ReadOnly { get; set; }
            }

            [System.AttributeUsage(System.AttributeTargets.Method)]
            public sealed class McpServerPromptAttribute : System.Attribute { }

            [System.AttributeUsage(System.AttributeTargets.Method)]
            public sealed class McpServerResourceAttribute : System.Attribute { public string? UriTemplate { get; set; } }

            public abstract class McpServer { }

            public sealed class RequestContext<TParams>
            {
                public McpServer Server { get; set; } = null!;
                public TParams? Params { get; set; }
            }

            public abstract class McpServerTool
            {
                public static McpServerTool Create(System.Delegate method, object? options = null) => null!;
            }
        }
        """;
}
