using System.Text;
using McpSecurity.Server.Hosting;

namespace McpSecurity.Server.Tests;

public sealed class StdioMessageLimitTests
{
    [Fact]
    public async Task A_line_past_the_cap_is_cut_at_the_cap_and_the_next_line_passes_whole()
    {
        var dropped = new List<long>();
        var input = new MemoryStream(Encoding.UTF8.GetBytes("short\n" + new string('x', 100) + "\nnext\n"));
        using var limited = new StdioMessageLimit(input, 10, dropped.Add);

        var text = await new StreamReader(limited).ReadToEndAsync();

        Assert.Equal("short\nxxxxxxxxxx\nnext\n", text);
        Assert.Equal([100L], dropped);
    }
}
