using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace McpSecurity.Throughput;

/// <summary>A server under test: a child process on a loopback port, killed with its tree when disposed.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private long outputLines;

    private ServerProcess(Process process, Uri endpoint)
    {
        this.process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>CPU time the server process has used (user and system): per call, it does not depend on how busy the machine is.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>Lines the server wrote to stdout and stderr: a server that logs every request shows it here.</summary>
    public long OutputLines => Interlocked.Read(ref outputLines);

    public static async Task<ServerProcess> StartAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, int port)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}");
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/mcp"));
        process.OutputDataReceived += (_, e) => server.Count(e.Data);
        process.ErrorDataReceived += (_, e) => server.Count(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(90)).ConfigureAwait(false);
        return server;
    }

    /// <summary>A free loopback port (bound and released: good enough on a machine that is not short of ports).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync().ConfigureAwait(false);
        process.Dispose();
    }

    private void Count(string? line)
    {
        if (line is not null)
        {
            Interlocked.Increment(ref outputLines);
        }
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.StartInfo.FileName} exited with {process.ExitCode} before listening");
            }

            try
            {
                // Unauthenticated: any HTTP answer (401) means it listens.
                using var response = await http.PostAsync(Endpoint, new StringContent("{}")).ConfigureAwait(false);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
        }

        throw new TimeoutException($"{process.StartInfo.FileName} did not listen on {Endpoint} within {timeout.TotalSeconds} s");
    }
}
