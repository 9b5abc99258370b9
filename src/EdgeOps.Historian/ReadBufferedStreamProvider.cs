using System.Net;
using System.Net.Sockets;
using MQTTnet.Channel;

namespace EdgeOps.Historian;

/// <summary>
/// Opens the broker connection for MQTTnet with reads going through a 64 KiB buffer. MQTTnet reads every packet
/// in several small reads (fixed header, length, body); on a bare socket each is a system call, which made the
/// receive side the historian's limit (about 20,000 messages/s on the 2-core test box, against 60,000 buffered;
/// docs/PERFORMANCE.md). Writes (PUBACKs) go straight to the socket, Nagle off, so nothing waits in a buffer.
/// TLS, when configured, is layered on top by MQTTnet.
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

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

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

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
