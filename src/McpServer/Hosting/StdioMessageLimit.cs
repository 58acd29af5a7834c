using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace McpSecurity.Server.Hosting;

/// <summary>
/// stdin for the stdio transport, with a cap on the length of one line. The SDK reads one JSON-RPC
/// message per line and buffers a line until its newline: one endless line grew the server's memory
/// without bound. Past <see cref="MaxLineBytes"/> this stream ends the line early (the SDK sees a
/// truncated message, answers it as a parse error where it can recover the id, and drops it) and
/// swallows the rest of the line up to its real newline, so the next message is read as usual.
/// </summary>
public sealed class StdioMessageLimit(Stream input, int maxLineBytes, Action<long>? lineDropped = null) : Stream
{
    private long bytesInLine;
    private long droppedBytes;
    private bool dropping;

    public int MaxLineBytes { get; } = maxLineBytes;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            var read = input.Read(buffer);
            if (read == 0)
            {
                return 0;
            }

            var kept = Filter(buffer[..read]);
            if (kept > 0)
            {
                return kept;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return 0;
            }

            // Zero kept bytes would read as the end of the stream: read on instead.
            var kept = Filter(buffer.Span[..read]);
            if (kept > 0)
            {
                return kept;
            }
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            input.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Compacts <paramref name="chunk"/> in place to the bytes the SDK may see; returns their count.</summary>
    private int Filter(Span<byte> chunk)
    {
        var kept = 0;
        foreach (var value in chunk)
        {
            if (dropping)
            {
                if (value == (byte)'\n')
                {
                    dropping = false;
                    bytesInLine = 0;
                    lineDropped?.Invoke(droppedBytes + MaxLineBytes);
                }
                else
                {
                    droppedBytes++;
                }

                continue;
            }

            if (value == (byte)'\n')
            {
                bytesInLine = 0;
                chunk[kept++] = value;
                continue;
            }

            if (++bytesInLine > MaxLineBytes)
            {
                // End the line here; the SDK drops it as a malformed message.
                dropping = true;
                droppedBytes = 1;
                chunk[kept++] = (byte)'\n';
                continue;
            }

            chunk[kept++] = value;
        }

        return kept;
    }
}
