// A deliberately vulnerable MCP server, modelled on the tools of the MCP server security guide.
// Building it must fail: see README.md for each planted violation and the rule that catches it.
var builder = WebApplication.CreateBuilder(args);

// The guide's "make it reachable from the other machine" shortcut: every interface, any web page.
builder.WebHost.UseUrls("http://0.0.0.0:5080"); // planted: MCPSEC603
builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy.AllowAnyOrigin().AllowAnyHeader())); // planted: MCPSEC603
builder.Services.AddHttpClient();
builder.Services.AddHttpContextAccessor();
builder.Services.AddSingleton<VulnerableMcpServer.Tools.ErrorReporter>();

builder.Services
    .AddMcpServer()
    .WithHttpTransport()
    .WithToolsFromAssembly();

var app = builder.Build();

app.UseCors();
app.MapMcp(); // planted: MCPSEC601

app.Run();
