using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MQTTnet.Channel;

namespace EdgeOps.Historian;

/// <summary>
/// Opens the broker connection for MQTTnet with reads going through a 64 KiB buffer. MQTTnet reads every packet
/// in several small reads (fixed header, length, body); on a bare socket each is a system call, which made the
/// receive side the historian's limit (about 20,000 messages/s on the 2-core test box, against 60,000 buffered;
/// docs/PERFORMANCE.md). Writes are coalesced the same way: PUBACKs queued while a send is under way leave together
/// in the next one (Nagle off, so nothing waits for a timer). TLS, when configured, is layered on top by MQTTnet.
/// </summary>
internal sealed class ReadBufferedStreamProvider : IMqttClientStreamProvider
{
    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(brokerEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new ReadBufferedStream(new NetworkStream(socket, ownsSocket: true), socket);
    }

    private sealed class ReadBufferedStream(NetworkStream inner, Socket socket) : Stream, IMqttClientStreamEndPoints
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private readonly Lock _writeGate = new();
        private ArrayBufferWriter<byte> _pending = new(4096);
        private TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _sending;
        private Exception? _writeError;
        private int _position;
        private int _length;

        public EndPoint? LocalEndPoint { get; } = socket.LocalEndPoint;

        public EndPoint? RemoteEndPoint { get; } = socket.RemoteEndPoint;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        /// <summary>Writes are already on their way (see <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>).</summary>
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position == _length)
            {
                if (buffer.Length >= _buffer.Length)
                {
                    return inner.Read(buffer);
                }

                _length = inner.Read(_buffer);
                _position = 0;
                if (_length == 0)
                {
                    return 0;
                }
            }

            var count = Math.Min(buffer.Length, _length - _position);
            _buffer.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position == _length)
            {
                if (buffer.Length >= _buffer.Length)
                {
                    return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }

                _length = await inner.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                _position = 0;
                if (_length == 0)
                {
                    return 0;
                }
            }

            var count = Math.Min(buffer.Length, _length - _position);
            _buffer.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Enqueue(buffer))
            {
                _ = Task.Run(SendLoopAsync);
            }
        }

        /// <summary>
        /// Coalesces writes: the bytes join a pending buffer and one send loop empties it, so the thousands of PUBACKs
        /// the acknowledger sends for a batch leave in a few system calls instead of one each. Returns once the bytes
        /// are queued, in order; a failed send closes the socket (MQTTnet then reconnects; unacknowledged messages
        /// are redelivered).
        /// </summary>
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Enqueue(buffer.Span))
            {
                _ = Task.Run(SendLoopAsync);
            }

            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        /// <summary>Queues the bytes; true when the caller must start the send loop.</summary>
        private bool Enqueue(ReadOnlySpan<byte> bytes)
        {
            lock (_writeGate)
            {
                if (_writeError is not null)
                {
                    throw new IOException("The connection to the broker failed.", _writeError);
                }

                _pending.Write(bytes);
                if (_sending)
                {
                    return false;
                }

                _sending = true;
                return true;
            }
        }

        private async Task SendLoopAsync()
        {
            var sending = new ArrayBufferWriter<byte>(4096);
            try
            {
                while (true)
                {
                    lock (_writeGate)
                    {
                        if (_pending.WrittenCount == 0)
                        {
                            _sending = false;
                            _idle.TrySetResult();
                            return;
                        }

                        (_pending, sending) = (sending, _pending);
                        _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }

                    await inner.WriteAsync(sending.WrittenMemory).ConfigureAwait(false);
                    sending.ResetWrittenCount();
                }
            }
#pragma warning disable CA1031 // Recorded for the next write; closing the socket makes the reader fail and MQTTnet reconnect.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                lock (_writeGate)
                {
                    _writeError = ex;
                    _sending = false;
                    _idle.TrySetResult();
                }

                inner.Dispose();
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                // Let what is queued (a DISCONNECT) leave first, briefly.
                Task idle;
                lock (_writeGate)
                {
                    idle = _sending ? _idle.Task : Task.CompletedTask;
                }

                idle.Wait(TimeSpan.FromSeconds(1));
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
