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
/// Each connection has a thread of its own that receives the answers and completes the requests (a request's
/// continuation runs on it); the thread ends when the connection drops or the client is disposed.
/// </remarks>
public sealed class ModbusClient : IAsyncDisposable
{
    private readonly ModbusClientOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _inFlight;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private ModbusConnection? _connection;
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
        var pending = new ModbusPending(new ModbusRequest(table.ReadFunction(), unit, address, destination.Length)) { Registers = destination };
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
        var pending = new ModbusPending(new ModbusRequest(table.ReadFunction(), unit, address, destination.Length)) { Bits = destination };
        return SendAsync(pending, static (p, pdu) => WriteReadPdu(p.Request, pdu), cancellationToken);
    }

    /// <summary>Writes one coil (function code 5).</summary>
    public Task WriteSingleCoilAsync(byte unit, ushort address, bool value, CancellationToken cancellationToken = default)
    {
        var pending = new ModbusPending(new ModbusRequest(ModbusFunctions.WriteSingleCoil, unit, address, 1, value ? (ushort)0xFF00 : (ushort)0));
        return SendAsync(pending, static (p, pdu) => WriteSinglePdu(p.Request, pdu), cancellationToken);
    }

    /// <summary>Writes one holding register (function code 6).</summary>
    public Task WriteSingleRegisterAsync(byte unit, ushort address, ushort value, CancellationToken cancellationToken = default)
    {
        var pending = new ModbusPending(new ModbusRequest(ModbusFunctions.WriteSingleRegister, unit, address, 1, value));
        return SendAsync(pending, static (p, pdu) => WriteSinglePdu(p.Request, pdu), cancellationToken);
    }

    /// <summary>Writes consecutive coils (function code 15).</summary>
    public Task WriteMultipleCoilsAsync(byte unit, ushort address, ReadOnlyMemory<bool> values, CancellationToken cancellationToken = default)
    {
        CheckRange(address, CheckCount(values.Length, ModbusTables.MaxCoilsPerWrite));
        var pending = new ModbusPending(new ModbusRequest(ModbusFunctions.WriteMultipleCoils, unit, address, values.Length)) { Source = values };
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
        var pending = new ModbusPending(new ModbusRequest(ModbusFunctions.WriteMultipleRegisters, unit, address, values.Length)) { Source = values };
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

    /// <summary>Drops the connection, fails what is in flight, and waits (at most 5 s) for the connection's thread to end.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        ModbusConnection? connection;
        await _connectGate.WaitAsync().ConfigureAwait(false);
        try
        {
            connection = _connection;
            connection?.Fail(new ModbusConnectionException($"{Endpoint}: the client was disposed"));
            _connection = null;
        }
        finally
        {
            _connectGate.Release();
        }

        if (connection is not null)
        {
            // Its receive thread wakes at the shutdown and ends: a removed device or a stopped gateway leaves no thread.
            await connection.WaitEndedAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
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

    private async Task SendAsync(ModbusPending pending, Func<ModbusPending, Span<byte>, int> writePdu, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            var transactionId = Send(connection, pending, writePdu);

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
                    // The receive thread (or the deadline timer) took it a moment ago and is completing it: take its result.
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

    /// <summary>Frames and sends one request (a system call that returns at once); its transaction id.</summary>
    private ushort Send(ModbusConnection connection, ModbusPending pending, Func<ModbusPending, Span<byte>, int> writePdu)
    {
        Span<byte> frame = stackalloc byte[ModbusFrame.MaxAduLength];
        var pduLength = writePdu(pending, frame[ModbusFrame.HeaderLength..]);
        var transactionId = connection.Register(pending, ref _transaction);
        ModbusFrame.WriteHeader(frame, transactionId, pending.Request.Unit, pduLength);
        Interlocked.Increment(ref _requests);
        connection.Send(frame[..(ModbusFrame.HeaderLength + pduLength)]);
        return transactionId;
    }

    private ValueTask<ModbusConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var current = _connection;
        return current is { IsAlive: true } ? new ValueTask<ModbusConnection>(current) : new ValueTask<ModbusConnection>(ReconnectAsync(cancellationToken));
    }

    private async Task<ModbusConnection> ReconnectAsync(CancellationToken cancellationToken)
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

            // The connection's own thread connects (see ModbusConnection for why a thread); this waits for it.
            current = new ModbusConnection(Endpoint, _options, _time);
            try
            {
                await current.Opened.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or TimeoutException)
            {
                current.Fail(new ModbusConnectionException($"{Endpoint}: connect failed"));
                _failures++;
                var delay = Backoff.Exponential(_options.ReconnectMinDelay, _options.ReconnectMaxDelay, _failures - 1);
                _nextAttempt = now + delay;
                _lastError = ex is SocketException s ? "connect failed: " + s.SocketErrorCode : "connect timed out";
                throw new ModbusConnectionException(string.Create(CultureInfo.InvariantCulture,
                    $"{Endpoint}: {_lastError}; next attempt in {delay.TotalSeconds:0.0} s"), ex);
            }
            catch
            {
                // Cancelled (or the client disposed): the thread ends with the connection, its outcome is not wanted.
                current.Fail(new ModbusConnectionException($"{Endpoint}: connect abandoned"));
                _ = current.Opened.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                throw;
            }

            _failures = 0;
            _connection = current;
            Interlocked.Increment(ref _connects);
            return current;
        }
        finally
        {
            _connectGate.Release();
        }
    }
}
