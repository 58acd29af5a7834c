// A deliberately vulnerable MCP server, modelled on the tools of the MCP server security guide.
// Building it must fail: see README.md for each planted violation and the rule that catches it.
var builder = WebApplication.CreateBuilder(args);

builder.Services.AddHttpClient();
builder.Services.AddHttpContextAccessor();
builder.Services.AddSingleton<VulnerableMcpServer.Tools.ErrorReporter>();

builder.Services
    .AddMcpServer()
    .WithHttpTransport()
    .WithToolsFromAssembly();

var app = builder.Build();

app.MapMcp();

app.Run();
