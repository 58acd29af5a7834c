namespace McpSecurity.TestSupport;

/// <summary>
/// The MCP SDK (ModelContextProtocol 2.3.1) surface that carries text and annotations a client's
/// model reads, in source with the real metadata names and property names: the tool, prompt and
/// resource attributes (Name, Title, ReadOnly, Destructive, …), the delegate factories with their
/// create options, and the protocol's Tool/Prompt/Resource types. Use instead of (not together with)
/// <see cref="McpServerStubs.Source"/> and <see cref="TestReferences.McpSdkStubs"/>.
/// </summary>
public static class ToolMetadataStubs
{
    public const string Source = """
        namespace ModelContextProtocol.Server
        {
            [System.AttributeUsage(System.AttributeTargets.Class)]
            public sealed class McpServerToolTypeAttribute : System.Attribute { }

            [System.AttributeUsage(System.AttributeTargets.Class)]
            public sealed class McpServerPromptTypeAttribute : System.Attribute { }

            [System.AttributeUsage(System.AttributeTargets.Class)]
            public sealed class McpServerResourceTypeAttribute : System.Attribute { }

            [System.AttributeUsage(System.AttributeTargets.Method)]
            public sealed class McpServerToolAttribute : System.Attribute
            {
                public string? Name { get; set; }
                public string? Title { get; set; }
                public bool Destructive { get; set; } = true;
                public bool Idempotent { get; set; }
                public bool OpenWorld { get; set; } = true;
                public bool ReadOnly { get; set; }
                public bool UseStructuredContent { get; set; }
            }

            [System.AttributeUsage(System.AttributeTargets.Method)]
            public sealed class McpServerPromptAttribute : System.Attribute
            {
                public string? Name { get; set; }
                public string? Title { get; set; }
            }

            [System.AttributeUsage(System.AttributeTargets.Method)]
            public sealed class McpServerResourceAttribute : System.Attribute
            {
                public string? Name { get; set; }
                public string? Title { get; set; }
                public string? UriTemplate { get; set; }
                public string? MimeType { get; set; }
            }

            public sealed class McpServerToolCreateOptions
            {
                public string? Name { get; set; }
                public string? Title { get; set; }
                public string? Description { get; set; }
                public bool? ReadOnly { get; set; }
                public bool? Destructive { get; set; }
            }

            public sealed class McpServerPromptCreateOptions
            {
                public string? Name { get; set; }
                public string? Title { get; set; }
                public string? Description { get; set; }
            }

            public abstract class McpServerTool
            {
                public static McpServerTool Create(System.Delegate method, McpServerToolCreateOptions? options = null) => null!;
            }

            public abstract class McpServerPrompt
            {
                public static McpServerPrompt Create(System.Delegate method, McpServerPromptCreateOptions? options = null) => null!;
            }
        }

        namespace ModelContextProtocol.Protocol
        {
            public sealed class ToolAnnotations
            {
                public string? Title { get; set; }
                public bool? ReadOnlyHint { get; set; }
                public bool? DestructiveHint { get; set; }
            }

            public sealed class Tool
            {
                public string Name { get; set; } = "";
                public string? Title { get; set; }
                public string? Description { get; set; }
                public ToolAnnotations? Annotations { get; set; }
            }

            public sealed class PromptArgument
            {
                public string Name { get; set; } = "";
                public string? Title { get; set; }
                public string? Description { get; set; }
            }

            public sealed class Prompt
            {
                public string Name { get; set; } = "";
                public string? Title { get; set; }
                public string? Description { get; set; }
                public System.Collections.Generic.IList<PromptArgument>? Arguments { get; set; }
            }

            public sealed class Resource
            {
                public string Name { get; set; } = "";
                public string? Title { get; set; }
                public string? Description { get; set; }
                public string Uri { get; set; } = "";
            }

            public sealed class ResourceTemplate
            {
                public string Name { get; set; } = "";
                public string? Title { get; set; }
                public string? Description { get; set; }
                public string UriTemplate { get; set; } = "";
            }
        }
        """;
}
