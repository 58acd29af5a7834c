namespace McpSecurity.Package.Tests.Infrastructure;

/// <summary>
/// Real-shaped consumer code carrying many violations at once, in the places where fixes used to
/// break builds: a multi-target library, primary constructors, static methods, top-level statements,
/// nullable and implicit usings on and off, and a generated file the fixes must leave alone.
/// </summary>
public static class FixSafetySources
{
    /// <summary>The SDK's attributes and exception with their real names, so the MCP rules apply without the SDK.</summary>
    public const string McpStubs = """
        namespace ModelContextProtocol
        {
            public class McpException : System.Exception
            {
                public McpException(string message) : base(message) { }
                public McpException(string message, System.Exception innerException) : base(message, innerException) { }
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
            }
        }
        """;

    /// <summary>A library for netstandard2.0 and net8.0, implicit usings off.</summary>
    public static IReadOnlyDictionary<string, string> Library { get; } = new Dictionary<string, string>
    {
        ["McpStubs.cs"] = McpStubs,
        ["Runner.cs"] = """
            using System.Diagnostics;

            namespace Consumer;

            public static class Runner
            {
                public static int Run(ProcessStartInfo startInfo)
                {
                    using var process = Process.Start(startInfo)!;
                    process.WaitForExit();
                    return process.ExitCode;
                }

                public static string Output(Process process)
                {
                    var output = process.StandardOutput.ReadToEnd();
                    process.WaitForExit();
                    return output;
                }
            }
            """,
        ["Handlers.cs"] = """
            using System;
            using System.Collections.Generic;
            using System.Globalization;
            using Microsoft.Extensions.Logging;

            namespace Consumer;

            public sealed class Parser
            {
                private readonly ILogger<Parser> _logger;

                public Parser(ILogger<Parser> logger) => _logger = logger;

                public int? ParseOrNull(string text)
                {
                    try
                    {
                        return int.Parse(text, CultureInfo.InvariantCulture);
                    }
                    catch
                    {
                        return null;
                    }
                }

                public List<int> ParseAll(IEnumerable<string> items)
                {
                    var result = new List<int>();
                    foreach (var item in items)
                    {
                        try
                        {
                            result.Add(int.Parse(item, CultureInfo.InvariantCulture));
                        }
                        catch (Exception)
                        {
                            continue;
                        }
                    }

                    return result;
                }

                public string Describe(string text)
                {
                    try
                    {
                        return new Uri(text).Host;
                    }
                    catch (UriFormatException ex)
                    {
                        _logger.LogWarning("Not a URI: {Reason}", ex.Message);
                        return string.Empty;
                    }
                }

                public static bool IsPositive(string text)
                {
                    try
                    {
                        return int.Parse(text, CultureInfo.InvariantCulture) > 0;
                    }
                    catch (Exception)
                    {
                    }

                    return false;
                }
            }

            public sealed class Tools(ILogger<Tools> logger)
            {
                public void Ping() => logger.LogInformation("ping");

                public static int Parse(string text)
                {
                    try
                    {
                        return int.Parse(text, CultureInfo.InvariantCulture);
                    }
                    catch
                    {
                        return 0;
                    }
                }
            }
            """,
        ["Settings.cs"] = """
            using System;

            namespace Consumer;

            public sealed class ApiSettings
            {
                public string ApiKey { get; set; } = "sk-live-0123456789abcdef0123";
            }

            public static class Tokens
            {
                public static readonly string ServiceToken =
                    Environment.GetEnvironmentVariable("SERVICE_TOKEN") ?? "dev-service-token-0123456789";
            }
            """,
        ["Generated.g.cs"] = """
            // <auto-generated/>
            namespace Consumer.Generated
            {
                public static class Probe
                {
                    public static bool Try(System.Action action)
                    {
                        try
                        {
                            action();
                            return true;
                        }
                        catch
                        {
                            return false;
                        }
                    }
                }
            }
            """,
    };

    /// <summary>An MCP server's tools for net10.0 with top-level statements, implicit usings on.</summary>
    public static IReadOnlyDictionary<string, string> App { get; } = new Dictionary<string, string>
    {
        ["McpStubs.cs"] = McpStubs,
        ["Program.cs"] = """
            using Microsoft.Extensions.Logging.Abstractions;

            var token = Environment.GetEnvironmentVariable("APP_TOKEN") ?? "dev-app-token-0123456789";
            var tools = new App.CliTools(NullLogger<App.CliTools>.Instance);
            Console.WriteLine(token.Length + Run(args).Length + tools.Probe("x").Length);

            static string Run(string[] arguments)
            {
                try
                {
                    return arguments[0];
                }
                catch
                {
                    return string.Empty;
                }
            }
            """,
        ["CliTools.cs"] = """
            using System.Diagnostics;
            using Microsoft.Extensions.Logging;
            using ModelContextProtocol.Server;

            namespace App;

            [McpServerToolType]
            public sealed class CliTools(ILogger<CliTools> logger)
            {
                private static readonly string SearchApiKey = "search-live-0123456789abcdef";

                public static int SearchKeyLength => SearchApiKey.Length + Keys.SigningKey.Length;

                [McpServerTool(Name = "git_log")]
                public string GitLog(string revision)
                {
                    var startInfo = new ProcessStartInfo("git")
                    {
                        Arguments = "log --oneline " + revision,
                        RedirectStandardOutput = true,
                        UseShellExecute = false,
                    };
                    using var process = Process.Start(startInfo)!;
                    var output = process.StandardOutput.ReadToEnd();
                    process.WaitForExit();
                    return output;
                }

                [McpServerTool(Name = "lint")]
                public string Lint(string file)
                {
                    var startInfo = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
                    startInfo.ArgumentList.Add("-c");
                    startInfo.ArgumentList.Add("ruff check " + file);
                    using var process = Process.Start(startInfo)!;
                    return process.StandardOutput.ReadToEnd();
                }

                [McpServerTool(Name = "probe")]
                public string Probe(string input)
                {
                    try
                    {
                        return File.ReadAllText(Path.Combine(AppContext.BaseDirectory, input));
                    }
                    catch (Exception ex)
                    {
                        return "Error: " + ex.Message;
                    }
                }

                [McpServerTool(Name = "send")]
                public bool Send(string url, string content)
                {
                    logger.LogInformation("Sending {Content} to {Url}", content, url);
                    try
                    {
                        return new Uri(url).Scheme == Uri.UriSchemeHttps;
                    }
                    catch (Exception)
                    {
                        return false;
                    }
                }

                public static int Count(string text)
                {
                    try
                    {
                        return int.Parse(text);
                    }
                    catch
                    {
                    }

                    return -1;
                }
            }
            """,
        ["Keys.cs"] = """
            namespace App;

            internal static class Keys
            {
                public static readonly string SigningKey = Environment.GetEnvironmentVariable("SIGNING_KEY") ?? "dev-signing-key-0123456789";
            }
            """,
        ["Generated.g.cs"] = """
            // <auto-generated/>
            namespace App.Generated;

            public static class Secrets
            {
                public const string Password = "generated-password-0123456789";
            }
            """,
    };
}
