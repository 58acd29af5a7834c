using System.ComponentModel;
using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;
using ModelContextProtocol.Server;

namespace VulnerableMcpServer.Tools;

/// <summary>The guide's tools/email_tools/email_analyze: headers, sender and links of a raw message.</summary>
[McpServerToolType]
public sealed partial class EmailTools(ILogger<EmailTools> logger)
{
    [McpServerTool(Name = "email_analyze", ReadOnly = true)]
    [Description("Analyzes a raw RFC 5322 email message: sender, recipients, date, subject and the links in its body.")]
    public EmailAnalysis Analyze(
        [Description("The full message, headers and body, as text.")] string rawMessage)
    {
        var (headers, body) = SplitMessage(rawMessage);
        headers.TryGetValue("From", out var from);
        headers.TryGetValue("To", out var to);
        headers.TryGetValue("Subject", out var subject);
        headers.TryGetValue("Date", out var date);

        return new EmailAnalysis(
            Sender: ParseAddress(from),
            Recipients: (to ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Subject: subject,
            SentAt: ParseDate(date),
            Links: LinkPattern().Matches(body).Select(match => match.Value).Distinct().ToArray());
    }

    private static DateTimeOffset? ParseDate(string? value)
    {
        try
        {
            return DateTimeOffset.Parse(value!, CultureInfo.InvariantCulture);
        }
        catch // planted: MCPSEC201 bare catch returns null, a malformed Date header looks like a missing one
        {
            return null;
        }
    }

    private MailAddress? ParseAddress(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        try
        {
            return new MailAddress(value);
        }
        catch (FormatException ex)
        {
            // Correct: a specific exception, logged with the exception object, and a clear result.
            logger.LogWarning(ex, "email_analyze: the From header is not a valid address");
            return null;
        }
    }

    private static (Dictionary<string, string> Headers, string Body) SplitMessage(string rawMessage)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using var reader = new StringReader(rawMessage);
        string? line;
        string? current = null;
        while (!string.IsNullOrEmpty(line = reader.ReadLine()))
        {
            if (char.IsWhiteSpace(line[0]) && current is not null)
            {
                headers[current] += " " + line.Trim();
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                current = line[..colon].Trim();
                headers[current] = line[(colon + 1)..].Trim();
            }
        }

        return (headers, reader.ReadToEnd());
    }

    [GeneratedRegex(@"https?://[^\s""'<>]+", RegexOptions.IgnoreCase)]
    private static partial Regex LinkPattern();
}

public sealed record EmailAnalysis(
    MailAddress? Sender,
    string[] Recipients,
    string? Subject,
    DateTimeOffset? SentAt,
    string[] Links);
