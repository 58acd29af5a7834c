using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol.Server;

namespace VulnerableMcpServer.Tools;

/// <summary>The guide's tools/discord_tools/discord_analyze: statistics over a channel export.</summary>
[McpServerToolType]
public sealed class DiscordTools
{
    [McpServerTool(Name = "discord_analyze", ReadOnly = true)]
    [Description("Analyzes a Discord channel export (a JSON array of messages): messages per author, attachments and the busiest hour.")]
    public static ChannelAnalysis Analyze(
        [Description("The channel export as a JSON array of message objects.")] string exportJson)
    {
        using var document = JsonDocument.Parse(exportJson);
        var messages = new List<DiscordMessage>();
        foreach (var element in document.RootElement.EnumerateArray())
        {
            try
            {
                messages.Add(ParseMessage(element));
            }
            catch (Exception) // planted: MCPSEC202 a malformed message is skipped silently and the counts are wrong
            {
                continue;
            }
        }

        return new ChannelAnalysis(
            MessageCount: messages.Count,
            MessagesPerAuthor: messages.GroupBy(message => message.Author).ToDictionary(group => group.Key, group => group.Count()),
            Attachments: messages.Sum(message => message.Attachments),
            BusiestHourUtc: messages.Count == 0
                ? null
                : messages.GroupBy(message => message.Timestamp.UtcDateTime.Hour).MaxBy(group => group.Count())!.Key);
    }

    [McpServerTool(Name = "discord_validate_webhook", ReadOnly = true)]
    [Description("Checks that a URL is a Discord webhook URL before the server posts to it.")]
    public static bool ValidateWebhook(
        [Description("The webhook URL.")] string url)
    {
        try
        {
            var uri = new Uri(url, UriKind.Absolute);
            return uri.Scheme == Uri.UriSchemeHttps
                && uri.Host.EndsWith("discord.com", StringComparison.OrdinalIgnoreCase)
                && uri.AbsolutePath.StartsWith("/api/webhooks/", StringComparison.Ordinal);
        }
        catch (Exception) // planted: MCPSEC202 every failure, not only a malformed URL, becomes "not a webhook"
        {
            return false;
        }
    }

    private static DiscordMessage ParseMessage(JsonElement element) => new(
        Author: element.GetProperty("author").GetProperty("name").GetString() ?? "unknown",
        Timestamp: element.GetProperty("timestamp").GetDateTimeOffset(),
        Attachments: element.TryGetProperty("attachments", out var attachments) ? attachments.GetArrayLength() : 0);

    private sealed record DiscordMessage(string Author, DateTimeOffset Timestamp, int Attachments);
}

public sealed record ChannelAnalysis(
    int MessageCount,
    Dictionary<string, int> MessagesPerAuthor,
    int Attachments,
    int? BusiestHourUtc);
