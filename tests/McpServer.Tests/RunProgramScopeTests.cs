using System.Text.Json;
using McpSecurity.Server.Hosting;

namespace McpSecurity.Server.Tests;

/// <summary>The body check behind run_program's 403 reads any JSON: a non-string method or name is not a call to it, and never a crash.</summary>
public sealed class RunProgramScopeTests
{
    [Theory]
    [InlineData("""{"method":"tools/call","params":{"name":"run_program"}}""", true)]
    [InlineData("""[{"method":5},{"method":"tools/call","params":{"name":"run_program"}}]""", true)]
    [InlineData("""[[{"method":"tools/call","params":{"name":"run_program"}}]]""", true)]
    [InlineData("""{"method":["tools/call"],"params":{"name":"run_program"}}""", false)]
    [InlineData("""{"method":{},"params":{"name":"run_program"}}""", false)]
    [InlineData("""{"method":7,"params":{"name":"run_program"}}""", false)]
    [InlineData("""{"method":"tools/call","params":{"name":{"run_program":1}}}""", false)]
    [InlineData("""{"method":"tools/call","params":{"name":null}}""", false)]
    [InlineData("""{"method":"tools/call","params":["run_program"]}""", false)]
    [InlineData("\"tools/call\"", false)]
    public void Reads_method_and_tool_name_of_any_JSON_type(string json, bool callsRun)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(callsRun, RunProgramScope.CallsRunProgram(document.RootElement));
    }
}
