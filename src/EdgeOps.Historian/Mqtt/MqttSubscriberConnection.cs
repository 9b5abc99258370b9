using System.Buffers.Binary;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace EdgeOps.Historian.Mqtt;

/// <summary>
/// One MQTT 5 connection of a subscriber that acknowledges late: the historian's receive path. It does only what bulk
/// ingest needs, and does it without per-message work beyond decoding: packets are cut from a large read buffer (one
/// system call brings in many messages), topics are decoded once per distinct topic, the payload is handed out as a
/// span, and PUBACKs queued by <see cref="Acknowledge"/> go out many per write.
/// <para>
/// Subscriptions are at QoS 1; QoS 2, topic aliases (it allows none) and AUTH are protocol errors here. Reconnecting is
/// the caller's loop: <see cref="RunAsync"/> ends (throws) when the connection does.
/// </para>
/// </summary>
public sealed class MqttSubscriberConnection : IAsyncDisposable
{
    private const int InitialBuffer = 256 * 1024;
    private const int MinimumRead = 16 * 1024;

    private readonly Socket _socket;
    private readonly string _endpoint;
    private readonly int _maximumPacketSize;
    private Stream _stream;
    private readonly TopicCache _topics = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    // No maximum: a wake-up more than needed only flushes nothing.
    private readonly SemaphoreSlim _ackSignal = new(0);
    private readonly Lock _ackLock = new();
    private readonly CancellationTokenSource _disposed = new();
    private byte[] _acks = new byte[4096];
    private byte[] _acksSpare = new byte[4096];
    private int _ackBytes;
    private bool _ackSignalled;
    private byte[] _buffer = new byte[InitialBuffer];
    private int _start;
    private int _end;
    private readonly TimeProvider _time;
    private long _lastSent;
    private long _lastReceived;
    private ushort _nextPacketId;
    private TaskCompletionSource<byte[]>? _subAck;
    private ushort _subAckId;
    private volatile bool _closed;
    private volatile string? _abortReason;
    private long _acknowledgementsSent;

    private MqttSubscriberConnection(Socket socket, string endpoint, int maximumPacketSize, TimeProvider time)
    {
        _time = time;
        _lastSent = _lastReceived = time.GetTimestamp();
        _socket = socket;
        _endpoint = endpoint;
        _maximumPacketSize = maximumPacketSize;
        _stream = Stream.Null; // until connected
    }

    /// <summary>The broker resumed a session for this client id (CONNACK Session Present): its subscriptions still hold.</summary>
    public bool SessionPresent { get; private set; }

    /// <summary>The keep alive in force (the broker's Server Keep Alive when it sent one).</summary>
    public TimeSpan KeepAlive { get; private set; }

    /// <summary>PUBACKs written to the socket so far.</summary>
    public long AcknowledgementsSent => Interlocked.Read(ref _acknowledgementsSent);

    /// <summary>False once the connection has ended; acknowledgements are then dropped (the broker redelivers).</summary>
    public bool IsOpen => !_closed;

    /// <summary>Connects (TCP, CONNECT, CONNACK) within <see cref="MqttSubscriberSettings.Timeout"/>.</summary>
    /// <exception cref="MqttRefusedException">The broker refused: the reason code names why.</exception>
    /// <exception cref="MqttProtocolException">The broker's answer is not MQTT 5.</exception>
    public static async Task<MqttSubscriberConnection> ConnectAsync(MqttSubscriberSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var endpoint = string.Create(CultureInfo.InvariantCulture, $"{settings.Host}:{settings.Port}");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 1 << 20 };
        var connection = new MqttSubscriberConnection(socket, endpoint, settings.MaximumPacketSize, settings.Time) { KeepAlive = settings.KeepAlive };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            await socket.ConnectAsync(settings.Host, settings.Port, timeout.Token).ConfigureAwait(false);
            connection._stream = new NetworkStream(socket, ownsSocket: false);
            if (settings.Tls is { } tls)
            {
                await connection.AuthenticateAsync(tls, timeout.Token).ConfigureAwait(false);
            }

            await connection.SendAsync(MqttPackets.EncodeConnect(settings), timeout.Token).ConfigureAwait(false);
            await connection.ReadConnAckAsync(timeout.Token).ConfigureAwait(false);
            return connection;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"MQTT broker {endpoint} did not accept the connection within {settings.Timeout.TotalSeconds:0.#} s.");
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Reads and dispatches until the connection ends or <paramref name="cancellationToken"/> is cancelled; sends the
    /// queued acknowledgements and the keep-alive pings meanwhile. After cancellation the socket stays open for
    /// <see cref="DisconnectAsync"/>.
    /// </summary>
    public async Task RunAsync(MqttPublishHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        var reader = ReadLoopAsync(handler, linked.Token);
        var writer = WriteLoopAsync(linked.Token);
        var first = await Task.WhenAny(reader, writer).ConfigureAwait(false);
        await linked.CancelAsync().ConfigureAwait(false);
        _closed = _closed || !cancellationToken.IsCancellationRequested;
        _subAck?.TrySetException(new IOException($"The connection to MQTT broker {_endpoint} ended."));
        try
        {
            await Task.WhenAll(reader, writer).ConfigureAwait(false);
        }
        catch (Exception) when (first.IsFaulted || cancellationToken.IsCancellationRequested)
        {
            // The first failure is the one that counts; the other loop only stopped because of it.
        }

        await first.ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the connection from this side without a DISCONNECT, so the broker keeps the session and redelivers every
    /// message not yet acknowledged on the next connection; <see cref="RunAsync"/> then throws with
    /// <paramref name="reason"/>. Safe from any thread.
    /// </summary>
    public void Abort(string reason)
    {
        _abortReason = reason;
        _closed = true;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone: the read loop ends either way.
        }
    }

    /// <summary>Subscribes one filter at QoS 1 and waits for the SUBACK. Needs <see cref="RunAsync"/> running (it reads the SUBACK).</summary>
    /// <param name="retainHandling">MQTT 5 Retain Handling: 0 send retained, 1 only for a new subscription, 2 never.</param>
    public async Task SubscribeAsync(string filter, int retainHandling, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(filter);
        var id = ++_nextPacketId == 0 ? ++_nextPacketId : _nextPacketId;
        var done = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _subAckId = id;
        Volatile.Write(ref _subAck, done);
        await SendAsync(MqttPackets.EncodeSubscribe(id, filter, retainHandling), cancellationToken).ConfigureAwait(false);
        byte[] codes;
        try
        {
            codes = await done.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"MQTT broker {_endpoint} did not answer SUBSCRIBE '{filter}' within {timeout.TotalSeconds:0.#} s.");
        }

        if (codes.Length != 1 || codes[0] >= 0x80)
        {
            var code = codes.Length > 0 ? codes[0] : (byte)0x80;
            throw new MqttRefusedException($"MQTT broker {_endpoint} refused the subscription '{filter}': {MqttPackets.ReasonName(code)}.", code);
        }
    }

    /// <summary>Queues a PUBACK; the write loop sends what is queued in one write. Dropped when the connection has ended.</summary>
    public void Acknowledge(ushort packetId)
    {
        if (_closed)
        {
            return;
        }

        bool signal;
        lock (_ackLock)
        {
            if (_ackBytes + 4 > _acks.Length)
            {
                Array.Resize(ref _acks, _acks.Length * 2);
            }

            _acks[_ackBytes] = MqttPackets.PubAck << 4;
            _acks[_ackBytes + 1] = 2;
            BinaryPrimitives.WriteUInt16BigEndian(_acks.AsSpan(_ackBytes + 2), packetId);
            _ackBytes += 4;
            signal = !_ackSignalled;
            _ackSignalled = true;
        }

        if (signal)
        {
            _ackSignal.Release();
        }
    }

    /// <summary>Sends what acknowledgements are queued, then DISCONNECT (normal: the session stays for its expiry).</summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        if (_closed)
        {
            return;
        }

        await FlushAcknowledgementsAsync(cancellationToken).ConfigureAwait(false);
        await SendAsync(MqttPackets.NormalDisconnect, cancellationToken).ConfigureAwait(false);
        _closed = true;
        // Half-close and wait for the broker to close its side: it has then read every PUBACK. Closing at once with
        // unread bytes in our receive queue makes the kernel reset the connection, and the broker may lose the last
        // acknowledgements (seen here: about 400 of 2,000 redelivered after a clean disconnect).
        if (_stream is SslStream ssl)
        {
            await ssl.ShutdownAsync().ConfigureAwait(false);
        }

        _socket.Shutdown(SocketShutdown.Send);
        var sink = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(sink, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (IOException)
        {
            // Reset by the broker: it has closed, which is all we waited for.
        }
    }

    /// <summary>Closes the socket at once (no DISCONNECT) and ends <see cref="RunAsync"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _closed = true;
        // The loops end on this token; the semaphores are left to the GC, since a loop may still be waiting on one.
        await _disposed.CancelAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        _subAck?.TrySetException(new ObjectDisposedException(nameof(MqttSubscriberConnection)));
    }

    private async Task AuthenticateAsync(SslClientAuthenticationOptions tls, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(tls, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"TLS handshake with MQTT broker {_endpoint} (as '{tls.TargetHost}') failed: {ex.Message}", ex);
        }

        _stream = ssl;
    }

    private async Task ReadConnAckAsync(CancellationToken cancellationToken)
    {
        int type;
        int bodyStart;
        int bodyLength;
        while (!TryCutPacket(out type, out _, out bodyStart, out bodyLength))
        {
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }

        if (type != MqttPackets.ConnAck)
        {
            throw new MqttProtocolException($"MQTT broker {_endpoint} answered CONNECT with {MqttPackets.TypeName(type)}, not CONNACK.");
        }

        var body = _buffer.AsSpan(bodyStart, bodyLength);
        if (body.Length == 2 && body[1] is > 0 and < 6)
        {
            // An MQTT 3.1.1 broker's CONNACK: two bytes, return code 1 = unacceptable protocol version.
            throw new MqttRefusedException($"MQTT broker {_endpoint} refused the connection with MQTT 3.1.1 return code {body[1]}"
                + (body[1] == 1 ? ": it does not speak MQTT 5, which the historian needs." : "."), body[1]);
        }

        if (body.Length < 3)
        {
            throw new MqttProtocolException($"Malformed CONNACK from MQTT broker {_endpoint}: {body.Length} bytes.");
        }

        var position = 2;
        var properties = MqttPackets.ReadProperties(body, ref position, "CONNACK");
        if (body[1] >= 0x80)
        {
            throw new MqttRefusedException($"MQTT broker {_endpoint} refused the connection: {MqttPackets.ReasonName(body[1])}"
                + (properties.ReasonString is { } why ? $": {why}." : "."), body[1]);
        }

        SessionPresent = (body[0] & 0x01) != 0;
        if (properties.ServerKeepAlive is { } keepAlive)
        {
            KeepAlive = TimeSpan.FromSeconds(keepAlive);
        }
    }

    private async Task ReadLoopAsync(MqttPublishHandler handler, CancellationToken cancellationToken)
    {
        while (true)
        {
            while (TryCutPacket(out var type, out var flags, out var bodyStart, out var bodyLength))
            {
                switch (type)
                {
                    case MqttPackets.Publish:
                        var pending = Dispatch(handler, flags, bodyStart, bodyLength);
                        if (!pending.IsCompletedSuccessfully)
                        {
                            await pending.ConfigureAwait(false);
                        }

                        break;
                    case MqttPackets.PingResp:
                        break;
                    case MqttPackets.SubAck:
                        CompleteSubAck(bodyStart, bodyLength);
                        break;
                    case MqttPackets.Disconnect:
                        throw ServerDisconnected(bodyStart, bodyLength);
                    default:
                        throw new MqttProtocolException($"MQTT broker {_endpoint} sent {MqttPackets.TypeName(type)}, which a subscriber never expects.");
                }
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask Dispatch(MqttPublishHandler handler, int flags, int bodyStart, int bodyLength)
    {
        var body = _buffer.AsSpan(bodyStart, bodyLength);
        var qos = (flags >> 1) & 0x03;
        if (qos > 1)
        {
            throw new MqttProtocolException($"MQTT broker {_endpoint} sent a PUBLISH at QoS {qos} on a QoS 1 subscription.");
        }

        if (body.Length < 2)
        {
            throw new MqttProtocolException($"Malformed PUBLISH from {_endpoint}: {body.Length} bytes, no topic.");
        }

        var topicLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        var position = 2 + topicLength;
        if (topicLength == 0 || position + (qos > 0 ? 2 : 0) > body.Length)
        {
            throw new MqttProtocolException(topicLength == 0
                ? $"MQTT broker {_endpoint} sent a PUBLISH without a topic name (a topic alias, which this client does not allow)."
                : $"Malformed PUBLISH from {_endpoint}: topic length {topicLength} runs past the packet ({body.Length} bytes).");
        }

        var topic = _topics.Get(body.Slice(2, topicLength));
        ushort packetId = 0;
        if (qos > 0)
        {
            packetId = BinaryPrimitives.ReadUInt16BigEndian(body[position..]);
            position += 2;
            if (packetId == 0)
            {
                throw new MqttProtocolException($"Malformed PUBLISH on '{topic}' from {_endpoint}: packet identifier 0.");
            }
        }

        var propertyLength = MqttPackets.ReadVariableInt(body, ref position, "PUBLISH", "property length");
        if (position + propertyLength > body.Length)
        {
            throw new MqttProtocolException($"Malformed PUBLISH on '{topic}' from {_endpoint}: property length {propertyLength} runs past the packet.");
        }

        position += propertyLength;
        var delivery = new MqttDelivery(this, packetId, qos, (flags & 0x08) != 0, (flags & 0x01) != 0);
        return handler(topic, body[position..], delivery);
    }

    private void CompleteSubAck(int bodyStart, int bodyLength)
    {
        var body = _buffer.AsSpan(bodyStart, bodyLength);
        if (body.Length < 3)
        {
            throw new MqttProtocolException($"Malformed SUBACK from {_endpoint}: {body.Length} bytes.");
        }

        var id = BinaryPrimitives.ReadUInt16BigEndian(body);
        var position = 2;
        MqttPackets.ReadProperties(body, ref position, "SUBACK");
        var pending = Volatile.Read(ref _subAck);
        if (pending is null || id != _subAckId)
        {
            throw new MqttProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"MQTT broker {_endpoint} sent a SUBACK for packet {id}, which no SUBSCRIBE is waiting for."));
        }

        pending.TrySetResult(body[position..].ToArray());
    }

    private Exception ServerDisconnected(int bodyStart, int bodyLength)
    {
        var body = _buffer.AsSpan(bodyStart, bodyLength);
        var reason = body.Length > 0 ? body[0] : (byte)0;
        string? why = null;
        if (body.Length > 1)
        {
            var position = 1;
            why = MqttPackets.ReadProperties(body, ref position, "DISCONNECT").ReasonString;
        }

        return new MqttRefusedException($"MQTT broker {_endpoint} closed the connection: {MqttPackets.ReasonName(reason)}"
            + (why is null ? "." : $": {why}."), reason);
    }

    /// <summary>Cuts the next complete packet from the buffer (and moves past it); false when more bytes are needed.</summary>
    private bool TryCutPacket(out int type, out int flags, out int bodyStart, out int bodyLength)
    {
        type = flags = bodyStart = bodyLength = 0;
        var available = _buffer.AsSpan(_start, _end - _start);
        if (available.Length < 2)
        {
            return false;
        }

        if (!MqttPackets.TryReadVariableInt(available, 1, out var remaining, out var lengthBytes, "packet header"))
        {
            return false;
        }

        var total = 1 + lengthBytes + remaining;
        if (total > _maximumPacketSize)
        {
            // The broker must not send more than the Maximum Packet Size we asked for: a broker that does (or bytes that
            // are not MQTT) would otherwise make the buffer grow to the 256 MB the length field allows.
            _closed = true;
            throw new MqttProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"MQTT broker {_endpoint} sent a packet of {total} bytes, more than the Maximum Packet Size of {_maximumPacketSize} (Historian:Mqtt:MaximumPacketSize)."));
        }

        if (available.Length < total)
        {
            if (total > _buffer.Length)
            {
                // A packet larger than the buffer: grow to hold it whole, never past the Maximum Packet Size.
                var bigger = new byte[Math.Max(total, _buffer.Length * 2)];
                available.CopyTo(bigger);
                _buffer = bigger;
                _end -= _start;
                _start = 0;
            }

            return false;
        }

        type = available[0] >> 4;
        flags = available[0] & 0x0F;
        bodyStart = _start + 1 + lengthBytes;
        bodyLength = remaining;
        _start += total;
        return true;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_buffer.Length - _end < MinimumRead)
        {
            // Move the partial packet to the front; everything before it has been dispatched.
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _closed = true;
            throw new IOException(_abortReason is { } reason
                ? $"Dropped the connection to MQTT broker {_endpoint}: {reason}."
                : $"MQTT broker {_endpoint} closed the connection.");
        }

        _end += read;
        Volatile.Write(ref _lastReceived, _time.GetTimestamp());
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        var keepAliveMs = (long)KeepAlive.TotalMilliseconds;
        var tick = keepAliveMs > 0 ? TimeSpan.FromMilliseconds(Math.Max(100, keepAliveMs / 4)) : Timeout.InfiniteTimeSpan;
        while (true)
        {
            await _ackSignal.WaitAsync(tick, cancellationToken).ConfigureAwait(false);
            // Sends are not cancelled: acknowledgements taken from the queue and then cancelled would be lost for this
            // connection (and a cancelled half-written packet would corrupt the stream). A dead socket fails the send.
            await FlushAcknowledgementsAsync(CancellationToken.None).ConfigureAwait(false);
            if (keepAliveMs <= 0)
            {
                continue;
            }

            var now = _time.GetTimestamp();
            if (_time.GetElapsedTime(Volatile.Read(ref _lastReceived), now).TotalMilliseconds > keepAliveMs * 3 / 2)
            {
                _closed = true;
                throw new TimeoutException($"MQTT broker {_endpoint} sent nothing for {KeepAlive.TotalSeconds * 1.5:0.#} s (keep alive {KeepAlive.TotalSeconds:0.#} s).");
            }

            if (_time.GetElapsedTime(Volatile.Read(ref _lastSent), now).TotalMilliseconds >= keepAliveMs / 2)
            {
                await SendAsync(MqttPackets.PingRequest, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task FlushAcknowledgementsAsync(CancellationToken cancellationToken)
    {
        byte[] batch;
        int count;
        lock (_ackLock)
        {
            _ackSignalled = false;
            if (_ackBytes == 0)
            {
                return;
            }

            batch = _acks;
            count = _ackBytes;
            _acks = _acksSpare.Length >= batch.Length ? _acksSpare : new byte[batch.Length];
            _ackBytes = 0;
        }

        await SendAsync(batch.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _acknowledgementsSent, count / 4);
        _acksSpare = batch;
    }

    private async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);

            Volatile.Write(ref _lastSent, _time.GetTimestamp());
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
