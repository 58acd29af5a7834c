namespace McpSecurity.Package.Tests.Infrastructure;

/// <summary>The code the scratch consumers compile: the guide's S2 handlers, vulnerable and not.</summary>
public static class ConsumerSources
{
    /// <summary>One MCPSEC201 (bare catch) and two MCPSEC202 (catch-all that swallows), nothing else.</summary>
    public const string BareAndSwallowingHandlers = """
        using System.Globalization;

        namespace Consumer;

        public sealed class MailClient
        {
            public string? ReadBody(string path)
            {
                try
                {
                    return File.ReadAllText(path);
                }
                catch
                {
                    return null;
                }
            }

            public bool TrySend(string to)
            {
                try
                {
                    Send(to);
                    return true;
                }
                catch (Exception)
                {
                    return false;
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

            private static void Send(string to) => ArgumentException.ThrowIfNullOrEmpty(to);
        }
        """;

    /// <summary>One MCPSEC202 violation, and one MCPSEC203 (a warning) to show the analyzers ran.</summary>
    public const string SwallowingHandlerAndMessageOnlyReport = """
        namespace Consumer;

        public sealed class Webhooks
        {
            public bool IsValid(string url)
            {
                try
                {
                    return new Uri(url).Scheme == Uri.UriSchemeHttps;
                }
                catch (Exception)
                {
                    return false;
                }
            }

            public string Describe(string url)
            {
                try
                {
                    return new Uri(url).Host;
                }
                catch (UriFormatException ex)
                {
                    return "Error: " + ex.Message;
                }
            }
        }
        """;

    /// <summary>
    /// One rule of each kind the presets tell apart: MCPSEC101 (an Error rule with a CWE Top 25 weakness,
    /// kept by Minimal), MCPSEC202 (an Error rule that Minimal turns off) and MCPSEC203 (a Warning).
    /// </summary>
    public const string SecretSwallowAndMessageOnly = """
        namespace Consumer;

        public sealed class Gateway
        {
            public string ApiKey { get; } = "gw-live-9f8e7d6c5b4a3f2e1d0c";

            public bool IsValid(string url)
            {
                try
                {
                    return new Uri(url).Scheme == Uri.UriSchemeHttps;
                }
                catch (Exception)
                {
                    return false;
                }
            }

            public string Describe(string url)
            {
                try
                {
                    return new Uri(url).Host;
                }
                catch (UriFormatException ex)
                {
                    return "Error: " + ex.Message;
                }
            }
        }
        """;
}
