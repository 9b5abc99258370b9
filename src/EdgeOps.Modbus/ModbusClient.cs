using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;

namespace EdgeOps.Modbus;

/// <summary>
/// A Modbus TCP client for one device (or one gateway, with a unit id per request): function codes 1–6, 15 and 16,
/// up to <see cref="ModbusClientOptions.MaxInFlight"/> requests in flight matched by transaction id, a timeout per
/// request, and reconnect with backoff. Every response is checked (MBAP protocol id and length, transaction id,
/// unit id, function code, byte count, echoed address and value) before a byte of its data is used.
/// </summary>
/// <remarks>
/// The connection is made on the first request and remade on the first request after it drops. After a failed
/// connect, requests fail at once with <see cref="ModbusConnectionException"/> until the backoff has passed, so a
/// poller never queues behind a dead device. Thread-safe: any number of callers may share one client.
/// </remarks>
public sealed class ModbusClient : IAsyncDisposable
{
    private readonly ModbusClientOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _inFlight;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private Connection? _connection;
    private int _failures;
    private DateTimeOffset _nextAttempt;
    private string _lastError = "never connected";
    private int _transaction;
    private long _requests;
    private long _connects;
    private bool _disposed;

    /// <summary>Creates a client; nothing connects until the first request.</summary>
    /// <exception cref="ArgumentException">The options are invalid (the message names each setting and value).</exception>
    public ModbusClient(ModbusClientOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Modbus client options: " + string.Join("; ", errors), nameof(options));
        }

        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _inFlight = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
        Endpoint = FormattableString.Invariant($"{options.Host}:{options.Port}");
    }

    /// <summary>host:port, as it appears in every error message.</summary>
    public string Endpoint { get; }

    /// <summary>True while the TCP connection is up.</summary>
    public bool IsConnected => _connection is { IsAlive: true };

    /// <summary>Requests sent since the client was made (for tests and metrics: coalescing is measured with it).</summary>
    public long RequestsSent => Interlocked.Read(ref _requests);

    /// <summary>TCP connections made since the client was made (1 plus the reconnects).</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Reads coils (function code 1).</summary>
    public async Task<bool[]> ReadCoilsAsync(byte unit, ushort address, int count, CancellationToken cancellationToken = default)
    {
        var bits = new bool[CheckCount(count, ModbusTables.MaxBitsPerRead)];
        await ReadBitsAsync(ModbusTable.Coil, unit, address, bits, cancellationToken).ConfigureAwait(false);
        return bits;
    }

    /// <summary>Reads discrete inputs (function code 2).</summary>
    public async Task<bool[]> ReadDiscreteInputsAsync(byte unit, ushort address, int count, CancellationToken cancellationToken = default)
    {
        var bits = new bool[CheckCount(count, ModbusTables.MaxBitsPerRead)];
        await ReadBitsAsync(ModbusTable.DiscreteInput, unit, address, bits, cancellationToken).ConfigureAwait(false);
        return bits;
    }

    /// <summary>Reads holding registers (function code 3).</summary>
    public async Task<ushort[]> ReadHoldingRegistersAsync(byte unit, ushort address, int count, CancellationToken cancellationToken = default)
    {
        var registers = new ushort[CheckCount(count, ModbusTables.MaxRegistersPerRead)];
        await ReadRegistersAsync(ModbusTable.HoldingRegister, unit, address, registers, cancellationToken).ConfigureAwait(false);
        return registers;
    }

    /// <summary>Reads input registers (function code 4).</summary>
    public async Task<ushort[]> ReadInputRegistersAsync(byte unit, ushort address, int count, CancellationToken cancellationToken = default)
    {
        var registers = new ushort[CheckCount(count, ModbusTables.MaxRegistersPerRead)];
        await ReadRegistersAsync(ModbusTable.InputRegister, unit, address, registers, cancellationToken).ConfigureAwait(false);
        return registers;
    }

    /// <summary>Reads <paramref name="destination"/>.Length registers of a register table into <paramref name="destination"/>.</summary>
    public Task ReadRegistersAsync(ModbusTable table, byte unit, ushort address, Memory<ushort> destination, CancellationToken cancellationToken = default)
    {
        if (table.IsBits())
        {
            throw new ArgumentException($"{table.Name()} is a bit table: use ReadBitsAsync", nameof(table));
        }

        CheckRange(address, CheckCount(destination.Length, ModbusTables.MaxRegistersPerRead));
        var pending = new Pending(new ModbusRequest(table.ReadFunction(), unit, address, destination.Length)) { Registers = destination };
        return SendAsync(pending, static (p, pdu) => WriteReadPdu(p.Request, pdu), cancellationToken);
    }

    /// <summary>Reads <paramref name="destination"/>.Length bits of a bit table into <paramref name="destination"/>.</summary>
    public Task ReadBitsAsync(ModbusTable table, byte unit, ushort address, Memory<bool> destination, CancellationToken cancellationToken = default)
    {
        if (!table.IsBits())
        {
            throw new ArgumentException($"{table.Name()} is a register table: use ReadRegistersAsync", nameof(table));
        }

        CheckRange(address, CheckCount(destination.Length, ModbusTables.MaxBitsPerRead));
        var pending = new Pending(new ModbusRequest(table.ReadFunction(), unit, address, destination.Length)) { Bits = destination };
        return SendAsync(pending, static (p, pdu) => WriteReadPdu(p.Request, pdu), cancellationToken);
    }

    /// <summary>Writes one coil (function code 5).</summary>
    public Task WriteSingleCoilAsync(byte unit, ushort address, bool value, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(new ModbusRequest(ModbusFunctions.WriteSingleCoil, unit, address, 1, value ? (ushort)0xFF00 : (ushort)0));
        return SendAsync(pending, static (p, pdu) => WriteSinglePdu(p.Request, pdu), cancellationToken);
    }

    /// <summary>Writes one holding register (function code 6).</summary>
    public Task WriteSingleRegisterAsync(byte unit, ushort address, ushort value, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(new ModbusRequest(ModbusFunctions.WriteSingleRegister, unit, address, 1, value));
        return SendAsync(pending, static (p, pdu) => WriteSinglePdu(p.Request, pdu), cancellationToken);
    }

    /// <summary>Writes consecutive coils (function code 15).</summary>
    public Task WriteMultipleCoilsAsync(byte unit, ushort address, ReadOnlyMemory<bool> values, CancellationToken cancellationToken = default)
    {
        CheckRange(address, CheckCount(values.Length, ModbusTables.MaxCoilsPerWrite));
        var pending = new Pending(new ModbusRequest(ModbusFunctions.WriteMultipleCoils, unit, address, values.Length)) { Source = values };
        return SendAsync(pending, static (p, pdu) =>
        {
            var bits = ((ReadOnlyMemory<bool>)p.Source!).Span;
            var byteCount = (bits.Length + 7) / 8;
            WriteReadPdu(p.Request, pdu);
            pdu[5] = (byte)byteCount;
            pdu.Slice(6, byteCount).Clear();
            for (var i = 0; i < bits.Length; i++)
            {
                if (bits[i])
                {
                    pdu[6 + (i >> 3)] |= (byte)(1 << (i & 7));
                }
            }

            return 6 + byteCount;
        }, cancellationToken);
    }

    /// <summary>Writes consecutive holding registers (function code 16).</summary>
    public Task WriteMultipleRegistersAsync(byte unit, ushort address, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken = default)
    {
        CheckRange(address, CheckCount(values.Length, ModbusTables.MaxRegistersPerWrite));
        var pending = new Pending(new ModbusRequest(ModbusFunctions.WriteMultipleRegisters, unit, address, values.Length)) { Source = values };
        return SendAsync(pending, static (p, pdu) =>
        {
            var registers = ((ReadOnlyMemory<ushort>)p.Source!).Span;
            WriteReadPdu(p.Request, pdu);
            pdu[5] = (byte)(registers.Length * 2);
            for (var i = 0; i < registers.Length; i++)
            {
                BinaryPrimitives.WriteUInt16BigEndian(pdu[(6 + (i * 2))..], registers[i]);
            }

            return 6 + (registers.Length * 2);
        }, cancellationToken);
    }

    /// <summary>Drops the connection and fails what is in flight.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _connectGate.WaitAsync().ConfigureAwait(false);
        try
        {
            _connection?.Fail(new ModbusConnectionException($"{Endpoint}: the client was disposed"));
            _connection = null;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private static int WriteReadPdu(in ModbusRequest request, Span<byte> pdu)
    {
        pdu[0] = request.Function;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], request.Address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], (ushort)request.Count);
        return 5;
    }

    private static int WriteSinglePdu(in ModbusRequest request, Span<byte> pdu)
    {
        pdu[0] = request.Function;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], request.Address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], request.Value);
        return 5;
    }

    private static int CheckCount(int count, int max)
    {
        if (count < 1 || count > max)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"must be 1..{max}");
        }

        return count;
    }

    private static void CheckRange(ushort address, int count)
    {
        if (address + count > 65536)
        {
            throw new ArgumentOutOfRangeException(nameof(address), address, $"address {address} + count {count} runs past 65535");
        }
    }

    private async Task SendAsync(Pending pending, Func<Pending, Span<byte>, int> writePdu, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            var frame = ArrayPool<byte>.Shared.Rent(ModbusFrame.MaxAduLength);
            ushort transactionId;
            try
            {
                var pduLength = writePdu(pending, frame.AsSpan(ModbusFrame.HeaderLength));
                transactionId = connection.Register(pending, ref _transaction);
                ModbusFrame.WriteHeader(frame, transactionId, pending.Request.Unit, pduLength);
                Interlocked.Increment(ref _requests);
                await connection.SendAsync(frame.AsMemory(0, ModbusFrame.HeaderLength + pduLength), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(frame);
            }

            if (!cancellationToken.CanBeCanceled || pending.Done.Task.IsCompleted)
            {
                // The timeout is the connection's deadline timer (one per connection, not one per request): it ends
                // this task with ModbusTimeoutException when the response is late.
                await pending.Done.Task.ConfigureAwait(false);
                return;
            }

            try
            {
                await pending.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!pending.Done.Task.IsCompleted)
            {
                if (!connection.Abandon(transactionId))
                {
                    // The receive loop (or the deadline timer) took it a moment ago and is completing it: take its result.
                    await pending.Done.Task.ConfigureAwait(false);
                    return;
                }

                throw;
            }
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private ValueTask<Connection> ConnectAsync(CancellationToken cancellationToken)
    {
        var current = _connection;
        return current is { IsAlive: true } ? new ValueTask<Connection>(current) : new ValueTask<Connection>(ReconnectAsync(cancellationToken));
    }

    private async Task<Connection> ReconnectAsync(CancellationToken cancellationToken)
    {
        await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var current = _connection;
            if (current is { IsAlive: true })
            {
                return current;
            }

            if (current is not null)
            {
                _lastError = current.Error ?? "connection lost";
                _connection = null;
            }

            var now = _time.GetUtcNow();
            if (_failures > 0 && now < _nextAttempt)
            {
                throw new ModbusConnectionException(string.Create(CultureInfo.InvariantCulture,
                    $"{Endpoint}: not connected ({_lastError}); next attempt in {(_nextAttempt - now).TotalSeconds:0.0} s"));
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            try
            {
                await socket.ConnectAsync(_options.Host, _options.Port, linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                _failures++;
                var delay = Backoff.Exponential(_options.ReconnectMinDelay, _options.ReconnectMaxDelay, _failures - 1);
                _nextAttempt = now + delay;
                _lastError = ex is SocketException s ? "connect failed: " + s.SocketErrorCode : "connect timed out";
                throw new ModbusConnectionException(string.Create(CultureInfo.InvariantCulture,
                    $"{Endpoint}: {_lastError}; next attempt in {delay.TotalSeconds:0.0} s"), ex);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            _failures = 0;
            current = new Connection(Endpoint, socket, _options.RequestTimeout, _time);
            _connection = current;
            Interlocked.Increment(ref _connects);
            return current;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    /// <summary>A request waiting for its response; the receive loop checks the response and decodes into the caller's buffer.</summary>
    private sealed class Pending(ModbusRequest request)
    {
        public ModbusRequest Request { get; } = request;

        public Memory<ushort> Registers { get; init; }

        public Memory<bool> Bits { get; init; }

        public object? Source { get; init; }

        /// <summary>Completed on the receive loop (or the deadline timer) without a hop to the pool: the caller's
        /// continuation runs there, and sends its next request from there. A caller that blocks in its continuation
        /// would hold up the connection's other responses; the poller and the CLI do not.</summary>
        public TaskCompletionSource Done { get; } = new();

        /// <summary>When the request times out, in <see cref="TimeProvider.GetTimestamp"/> units.</summary>
        public long Deadline { get; set; }
    }

    /// <summary>
    /// One TCP connection: the requests in flight, the loop that matches responses to them, and one deadline timer
    /// that ends the requests whose response is late (armed for the earliest deadline, so a request costs no timer).
    /// </summary>
    private sealed class Connection
    {
        private const int MaxAbandoned = 1024;
        private readonly string _endpoint;
        private readonly Socket _socket;
        private readonly NetworkStream _stream;
        private readonly SemaphoreSlim _sendLock = new(1, 1);
        private readonly Dictionary<ushort, Pending> _pending = [];
        private readonly HashSet<ushort> _abandoned = [];
        private readonly TimeSpan _timeout;
        private readonly long _timeoutTimestamp;
        private readonly TimeProvider _time;
        private readonly ITimer _deadlineTimer;

        // Two frames of the largest legal length: whatever the device sends, we never allocate more. Answers are read
        // with as few receive calls as the socket allows (a whole frame, often, in one).
        private readonly byte[] _buffer = new byte[2 * ModbusFrame.MaxAduLength];
        private int _start;
        private int _end;
        private long _timerDue = long.MaxValue;
        private volatile bool _alive = true;
        private volatile bool _midFrame;

        public Connection(string endpoint, Socket socket, TimeSpan timeout, TimeProvider time)
        {
            _endpoint = endpoint;
            _socket = socket;
            _timeout = timeout;
            _time = time;
            _timeoutTimestamp = (long)(timeout.TotalSeconds * time.TimestampFrequency);
            _deadlineTimer = time.CreateTimer(static state => ((Connection)state!).OnDeadline(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _stream = new NetworkStream(socket, ownsSocket: true);
            _ = Task.Run(ReceiveLoopAsync);
        }

        public bool IsAlive => _alive;

        public string? Error { get; private set; }

        public ushort Register(Pending pending, ref int counter)
        {
            lock (_pending)
            {
                if (!_alive)
                {
                    throw new ModbusConnectionException($"{_endpoint}: {Error ?? "connection lost"}");
                }

                while (true)
                {
                    var id = (ushort)Interlocked.Increment(ref counter);
                    if (_pending.TryAdd(id, pending))
                    {
                        _abandoned.Remove(id);
                        pending.Deadline = _time.GetTimestamp() + _timeoutTimestamp;
                        if (_timerDue == long.MaxValue)
                        {
                            // Every request has the same timeout, so a timer already armed is due no later than this one.
                            _timerDue = pending.Deadline;
                            _deadlineTimer.Change(_timeout, Timeout.InfiniteTimeSpan);
                        }

                        return id;
                    }
                }
            }
        }

        public async Task SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
        {
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                var error = new ModbusConnectionException($"{_endpoint}: send failed ({ex.Message})", ex);
                Fail(error);
                throw error;
            }
            finally
            {
                _sendLock.Release();
            }
        }

        /// <summary>Forgets a timed-out or cancelled request; false when the receive loop already took it.</summary>
        public bool Abandon(ushort transactionId)
        {
            lock (_pending)
            {
                if (!_pending.Remove(transactionId))
                {
                    return false;
                }

                // A late answer to it is expected and harmless; only an id never sent is a protocol error.
                if (_abandoned.Count >= MaxAbandoned)
                {
                    _abandoned.Clear();
                }

                _abandoned.Add(transactionId);
                return true;
            }
        }

        public void Fail(ModbusException error)
        {
            List<Pending> failed;
            lock (_pending)
            {
                if (!_alive)
                {
                    return;
                }

                _alive = false;
                Error = error.Message;
                failed = [.. _pending.Values];
                _pending.Clear();
            }

            _deadlineTimer.Dispose();
            foreach (var pending in failed)
            {
                pending.Done.TrySetException(error);
            }

            _stream.Dispose();
        }

        /// <summary>The deadline timer: ends the requests whose time is up, then arms itself for the next deadline.</summary>
        private void OnDeadline()
        {
            List<(ushort Id, Pending Pending)>? expired = null;
            lock (_pending)
            {
                if (!_alive)
                {
                    return;
                }

                var now = _time.GetTimestamp();
                var next = long.MaxValue;
                foreach (var (id, pending) in _pending)
                {
                    if (pending.Deadline <= now)
                    {
                        (expired ??= []).Add((id, pending));
                    }
                    else
                    {
                        next = Math.Min(next, pending.Deadline);
                    }
                }

                foreach (var (id, _) in expired ?? [])
                {
                    _pending.Remove(id);

                    // A late answer to it is expected and harmless; only an id never sent is a protocol error.
                    if (_abandoned.Count >= MaxAbandoned)
                    {
                        _abandoned.Clear();
                    }

                    _abandoned.Add(id);
                }

                _timerDue = next;
                if (next != long.MaxValue)
                {
                    _deadlineTimer.Change(_time.GetElapsedTime(now, next), Timeout.InfiniteTimeSpan);
                }
            }

            if (expired is null)
            {
                return;
            }

            foreach (var (_, pending) in expired)
            {
                var request = pending.Request;
                var message = string.Create(CultureInfo.InvariantCulture,
                    $"{_endpoint} unit {request.Unit}: no response to {ModbusFunctions.Describe(request.Function)} at {request.Address} (count {request.Count}) within {_timeout.TotalMilliseconds:0} ms");
                if (_midFrame)
                {
                    // Half a frame arrived and the rest never did: the stream is out of step, start afresh.
                    Fail(new ModbusConnectionException(message + "; a truncated frame was left on the line, connection dropped"));
                }

                pending.Done.TrySetException(new ModbusTimeoutException(message));
            }
        }

        /// <summary>Makes at least <paramref name="needed"/> unread bytes available from <see cref="_start"/>; fewer only at end of stream.</summary>
        private async ValueTask<int> FillAsync(int needed)
        {
            if (_end - _start >= needed)
            {
                return _end - _start;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            while (_end < needed)
            {
                var read = await _stream.ReadAsync(_buffer.AsMemory(_end), CancellationToken.None).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                _end += read;
            }

            return _end;
        }

        private async Task ReceiveLoopAsync()
        {
            try
            {
                while (_alive)
                {
                    var got = await FillAsync(ModbusFrame.HeaderLength).ConfigureAwait(false);
                    if (got < ModbusFrame.HeaderLength)
                    {
                        Fail(new ModbusConnectionException(got == 0
                            ? $"{_endpoint}: the device closed the connection"
                            : $"{_endpoint}: the device closed the connection after {got} of 7 header bytes"));
                        return;
                    }

                    _midFrame = true;
                    var headerError = ModbusFrame.CheckHeader(_buffer.AsSpan(_start, ModbusFrame.HeaderLength), out var transactionId, out var unit, out var pduLength);
                    if (headerError is not null)
                    {
                        Fail(new ModbusProtocolException($"{_endpoint}: {headerError}; connection dropped"));
                        return;
                    }

                    got = await FillAsync(ModbusFrame.HeaderLength + pduLength).ConfigureAwait(false) - ModbusFrame.HeaderLength;
                    if (got < pduLength)
                    {
                        Fail(new ModbusConnectionException($"{_endpoint}: the device closed the connection after {got} of {pduLength} bytes of a response"));
                        return;
                    }

                    _midFrame = false;
                    var body = _buffer.AsMemory(_start + ModbusFrame.HeaderLength, pduLength);
                    _start += ModbusFrame.HeaderLength + pduLength;
                    Pending? pending;
                    lock (_pending)
                    {
                        if (!_pending.Remove(transactionId, out pending))
                        {
                            if (_abandoned.Remove(transactionId))
                            {
                                continue;
                            }
                        }
                    }

                    if (pending is null)
                    {
                        Fail(new ModbusProtocolException($"{_endpoint}: transaction id {transactionId} in a response matches no request in flight; connection dropped"));
                        return;
                    }

                    Deliver(pending, unit, body.Span);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                Fail(new ModbusConnectionException($"{_endpoint}: connection lost ({ex.Message})", ex));
            }
        }

        private void Deliver(Pending pending, byte unit, ReadOnlySpan<byte> pdu)
        {
            var request = pending.Request;
            if (unit != request.Unit)
            {
                pending.Done.TrySetException(new ModbusProtocolException(
                    $"{_endpoint}: response carries unit id {unit}, the request went to unit {request.Unit}"));
                return;
            }

            var error = ModbusFrame.CheckResponse(pdu, request, out var exception);
            if (error is not null)
            {
                pending.Done.TrySetException(new ModbusProtocolException(
                    $"{_endpoint} unit {request.Unit}: {ModbusFunctions.Describe(request.Function)} at {request.Address}: {error}"));
                return;
            }

            if (exception is { } code)
            {
                pending.Done.TrySetException(new ModbusServerException(_endpoint, request.Unit, request.Function, request.Address, request.Count, code));
                return;
            }

            if (!pending.Registers.IsEmpty)
            {
                ModbusFrame.ReadRegisters(pdu, pending.Registers.Span);
            }
            else if (!pending.Bits.IsEmpty)
            {
                ModbusFrame.ReadBits(pdu, pending.Bits.Span);
            }

            pending.Done.TrySetResult();
        }
    }
}
