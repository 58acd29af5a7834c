using System.Collections.Generic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace McpSecurity.Server.Hosting;

/// <summary>
/// Log levels used when nothing configures them. At Information, ASP.NET Core and the MCP SDK write seven
/// entries for every request (request start and end, endpoint, handler called and completed): on HTTP that
/// was the largest single cost of a cheap tool call, and it floods a log that should show failures.
/// </summary>
public static class LoggingDefaults
{
    private static readonly Dictionary<string, string?> Levels = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:ModelContextProtocol"] = "Warning",
    };

    /// <summary>Added first, so appsettings.json, environment variables and arguments still override each level.</summary>
    public static void AddTo(IConfigurationBuilder configuration)
        => configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Levels });
}
