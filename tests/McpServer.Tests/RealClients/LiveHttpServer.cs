using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace McpSecurity.Server.Tests.RealClients;

/// <summary>The built server as a real process serving HTTP on a free loopback port, configured as a user would: SECRET_KEY in the environment, the rest as --McpServer:… options.</summary>
internal sealed class LiveHttpServer : IAsyncDisposable
{
    public const string Key = "real-client-tests-signing-key-0123456789-abcdef";

    private readonly Process process;
    private readonly Task<string> standardError;

    private LiveHttpServer(Process process, Task<string> standardError, int port)
    {
        this.process = process;
        this.standardError = standardError;
        Url = $"http://127.0.0.1:{port}{Hosting.ServerHosts.McpPath}";
    }

    public string Url { get; }

    public static async Task<LiveHttpServer> StartAsync(IEnumerable<string> settings)
    {
        var port = FreeLoopbackPort();
        var process = Process.Start(ServerProcess.StartInfo(
            ["serve", "--http", "--urls", $"http://127.0.0.1:{port}", .. settings],
            new Dictionary<string, string?> { ["SECRET_KEY"] = Key }))!;
        process.StandardInput.Close();
        _ = process.StandardOutput.ReadToEndAsync();
        var server = new LiveHttpServer(process, process.StandardError.ReadToEndAsync(), port);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {process.ExitCode} before listening.\n{await server.standardError}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>A bearer token from the server's own <c>token</c> command, as a user mints one.</summary>
    public static async Task<string> MintTokenAsync(string scopes)
    {
        var outcome = await ServerProcess.RunAsync(["token", "--subject", "real-client", "--scope", scopes], new Dictionary<string, string?> { ["SECRET_KEY"] = Key });
        Assert.True(outcome.ExitCode == 0, ServerProcess.Describe(outcome));
        return outcome.StandardOutput.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
