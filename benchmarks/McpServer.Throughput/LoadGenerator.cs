using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace McpSecurity.Throughput;

/// <summary>What one measured server answered: counts, rate and latency percentiles.</summary>
public sealed record LoadResult(string Name, int Clients, TimeSpan Measured, long Requests, long Errors, double P50Milliseconds, double P99Milliseconds, string? FirstError, long AllCalls)
{
    public double RequestsPerSecond => Requests / Measured.TotalSeconds;
}

/// <summary>
/// N clients, each with its own HTTP connection, each sending one <c>tools/call</c> after another. Every
/// client initializes first, as a real MCP client does (in stateful mode that opens its session); only the
/// calls after the warm-up are counted. Stops by itself at the end of the measured time or at the request cap.
/// </summary>
public sealed class LoadGenerator(Uri endpoint, string token, int clients, TimeSpan warmup, TimeSpan measured, long maxRequests)
{
    public const string ProtocolVersion = "2025-06-18";

    private static readonly byte[] InitializeBody = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":""" + "\"" + ProtocolVersion + "\"" + ""","capabilities":{},"clientInfo":{"name":"mcpsec-throughput","version":"1.0"}}}""");
    private static readonly byte[] InitializedBody = """{"jsonrpc":"2.0","method":"notifications/initialized"}"""u8.ToArray();
    private static readonly byte[] CallBody = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"explain_rule","arguments":{"id":"MCPSEC201"}}}"""u8.ToArray();
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    public async Task<LoadResult> RunAsync(string name)
    {
        var sessions = new List<Client>();
        for (var i = 0; i < clients; i++)
        {
            sessions.Add(await Client.ConnectAsync(endpoint, token).ConfigureAwait(false));
        }

        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(measured.TotalSeconds * Stopwatch.Frequency);
        var counted = 0L;
        var workers = sessions.Select(client => Task.Run(() => client.LoopAsync(measureFrom, stopAt, () => Interlocked.Increment(ref counted) <= maxRequests))).ToList();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var end = Math.Min(stopAt, sessions.Max(c => c.LastCountedEnd));
        foreach (var client in sessions)
        {
            client.Dispose();
        }

        var latencies = sessions.SelectMany(c => c.Latencies).Order().ToArray();
        var errors = sessions.Sum(c => c.Errors);
        return new LoadResult(
            name,
            clients,
            Stopwatch.GetElapsedTime(measureFrom, end),
            latencies.Length,
            errors,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            sessions.Select(c => c.FirstError).FirstOrDefault(e => e is not null),
            sessions.Sum(c => c.AllCalls) + 2L * sessions.Count);
    }

    /// <summary>Calls explain_rule once and returns the response body: the reference server answers with the same payload.</summary>
    public static async Task<string> CallOnceAsync(Uri endpoint, string token)
    {
        using var client = await Client.ConnectAsync(endpoint, token).ConfigureAwait(false);
        var (ok, body) = await client.CallAsync(keepBody: true).ConfigureAwait(false);
        return ok ? body : throw new InvalidOperationException($"tools/call failed: {body}");
    }

    private static double Percentile(double[] sorted, double fraction)
        => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];

    private sealed class Client : IDisposable
    {
        private readonly HttpClient http;
        private readonly Uri endpoint;
        private string? sessionId;

        private Client(Uri endpoint, string token)
        {
            this.endpoint = endpoint;
            // One connection per client: 16 clients are 16 keep-alive connections, as 16 agents would be.
            http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseProxy = false, AutomaticDecompression = DecompressionMethods.None })
            {
                Timeout = TimeSpan.FromSeconds(30),
            };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
            http.DefaultRequestHeaders.Accept.ParseAdd("text/event-stream");
        }

        public List<double> Latencies { get; } = new(capacity: 1 << 16);

        public long Errors { get; private set; }

        public string? FirstError { get; private set; }

        public long LastCountedEnd { get; private set; }

        /// <summary>Every call sent, warm-up included: the server's CPU time is divided by it.</summary>
        public long AllCalls { get; private set; }

        public static async Task<Client> ConnectAsync(Uri endpoint, string token)
        {
            var client = new Client(endpoint, token);
            var (ok, body) = await client.SendAsync(InitializeBody).ConfigureAwait(false);
            if (!ok)
            {
                client.Dispose();
                throw new InvalidOperationException($"initialize failed: {body}");
            }

            await client.SendAsync(InitializedBody).ConfigureAwait(false);
            return client;
        }

        public Task<(bool Ok, string Body)> CallAsync(bool keepBody = false) => SendAsync(CallBody, keepBody);

        public async Task LoopAsync(long measureFrom, long stopAt, Func<bool> mayCount)
        {
            while (true)
            {
                var begin = Stopwatch.GetTimestamp();
                if (begin >= stopAt)
                {
                    return;
                }

                var (ok, body) = await CallAsync().ConfigureAwait(false);
                var end = Stopwatch.GetTimestamp();
                AllCalls++;
                if (begin < measureFrom || end > stopAt)
                {
                    continue;
                }

                if (!mayCount())
                {
                    return;
                }

                LastCountedEnd = Math.Max(LastCountedEnd, end);
                if (ok)
                {
                    Latencies.Add(Stopwatch.GetElapsedTime(begin, end).TotalMilliseconds);
                }
                else
                {
                    Errors++;
                    FirstError ??= body.Length > 300 ? body[..300] : body;
                }
            }
        }

        public void Dispose() => http.Dispose();

        private async Task<(bool Ok, string Body)> SendAsync(byte[] json, bool keepBody = false)
        {
            // Bytes and headers prepared once: the client shares the machine's two cores with the server
            // it measures, so every microsecond it spends is one the server does not get.
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(json) };
            request.Content.Headers.ContentType = JsonContentType;
            request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", ProtocolVersion);
            if (sessionId is not null)
            {
                request.Headers.TryAddWithoutValidation("Mcp-Session-Id", sessionId);
            }

            try
            {
                using var response = await http.SendAsync(request).ConfigureAwait(false);
                if (sessionId is null && response.Headers.TryGetValues("Mcp-Session-Id", out var ids))
                {
                    sessionId = ids.First();
                }

                var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                var ok = response.IsSuccessStatusCode
                    && body.AsSpan().IndexOf("\"error\":"u8) < 0
                    && body.AsSpan().IndexOf("\"isError\":true"u8) < 0
                    && (!ReferenceEquals(json, CallBody) || body.AsSpan().IndexOf("MCPSEC201"u8) >= 0);
                return (ok, ok && !keepBody ? string.Empty : Encoding.UTF8.GetString(body));
            }
            catch (HttpRequestException ex)
            {
                return (false, ex.Message);
            }
            catch (TaskCanceledException ex)
            {
                return (false, ex.Message);
            }
        }
    }
}
