namespace VulnerableMcpServer.Tools;

/// <summary>
/// The guide's S3 in C#: the proxy registration loads an MCP client by name from a package that does
/// not exist (the SDK ships no 'ModelContextProtocol.Client' assembly). It compiles; the server
/// crashes when it starts.
/// </summary>
public static class McpProxy
{
    public static object CreateClient()
    {
        var clientType = Type.GetType(
            "ModelContextProtocol.Client.McpProxyClient, ModelContextProtocol.Client", // planted: MCPSEC301
            throwOnError: true)!;
        return Activator.CreateInstance(clientType)!;
    }
}
