using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace EdgeOps.Modbus;

/// <summary>A request waiting for its response; the receive thread checks the response and decodes into the caller's buffer.</summary>
internal sealed class ModbusPending(ModbusRequest request)
{
    public ModbusRequest Request { get; } = request;

    public Memory<ushort> Registers { get; init; }

    public Memory<bool> Bits { get; init; }

    public object? Source { get; init; }

    /// <summary>Completed on the receive thread (or the deadline timer) without a hop to the pool: the caller's
    /// continuation runs there, and sends its next request from there. A caller that blocks in its continuation
    /// would hold up the connection's other responses; the poller and the CLI do not.</summary>
    public TaskCompletionSource Done { get; } = new();

    /// <summary>When the request times out, in <see cref="TimeProvider.GetTimestamp"/> units.</summary>
    public long Deadline { get; set; }
}

/// <summary>
/// One TCP connection: a thread of its own that connects and then receives, the requests in flight, and one deadline
/// timer that ends the requests whose response is late (armed only while a request is in flight, for the earliest
/// deadline, so a request costs no timer of its own).
/// </summary>
/// <remarks>
/// <para>
/// Why a thread and synchronous calls: polling wakes up for every answer, and the wakes, not Modbus, were the CPU
/// (docs/PERFORMANCE.md, "Modbus TCP polling"). An awaited receive wakes two threads per answer (the socket engine's
/// epoll thread, then a pool worker that runs the continuation); a thread blocked in <c>poll(2)</c> on its own socket
/// wakes once and completes the request itself. The socket is put in non-blocking mode and every call on it is a
/// plain system call (connect, <see cref="Socket.Poll(int, SelectMode)"/>, send, receive), never an async one: .NET
/// registers a socket with its epoll engine on the first async operation and from then on wakes the engine's thread
/// for every segment that arrives, whether or not anyone awaits it.
/// </para>
/// <para>
/// The thread ends when the connection fails or is closed: <see cref="Fail"/> shuts the socket down, which wakes the
/// thread's poll at once. Lock order: <c>_pending</c>, then <c>_sendLock</c> is never taken inside it (sends take
/// only <c>_sendLock</c>).
/// </para>
/// </remarks>
internal sealed class ModbusConnection
{
    private const int MaxAbandoned = 1024;

    // A safety net only: a shutdown wakes the poll at once. Long, so an idle connection costs no wakes.
    private const int IdlePollMicroseconds = 30_000_000;

    private readonly string _endpoint;
    private readonly string _host;
    private readonly int _port;
    private readonly TimeSpan _connectTimeout;
    private readonly object _sendLock = new();
    private readonly Dictionary<ushort, ModbusPending> _pending = [];
    private readonly HashSet<ushort> _abandoned = [];
    private readonly TimeSpan _timeout;
    private readonly long _timeoutTimestamp;
    private readonly TimeProvider _time;
    private readonly ITimer _deadlineTimer;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _opened = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Two frames of the largest legal length: whatever the device sends, we never allocate more. Answers are read
    // with as few receive calls as the socket allows (a whole frame, often, in one).
    private readonly byte[] _buffer = new byte[2 * ModbusFrame.MaxAduLength];
    private Socket? _socket;
    private int _start;
    private int _end;
    private long _timerDue = long.MaxValue;
    private volatile bool _alive = true;
    private volatile bool _midFrame;

    /// <summary>Starts the connection's thread, which connects; <see cref="Opened"/> says how that went.</summary>
    public ModbusConnection(string endpoint, ModbusClientOptions options, TimeProvider time)
    {
        _endpoint = endpoint;
        _host = options.Host;
        _port = options.Port;
        _connectTimeout = options.ConnectTimeout;
        _timeout = options.RequestTimeout;
        _time = time;
        _timeoutTimestamp = (long)(_timeout.TotalSeconds * time.TimestampFrequency);
        _deadlineTimer = time.CreateTimer(static state => ((ModbusConnection)state!).OnDeadline(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        // A small stack: the thread runs the receive loop and the callers' continuations, nothing deep.
        _thread = new Thread(Run, maxStackSize: 256 * 1024)
        {
            IsBackground = true,
            Name = "Modbus rx " + _port.ToString(CultureInfo.InvariantCulture),
        };
        _thread.Start();
    }

    /// <summary>
    /// Completes when the TCP connection is up; faults with <see cref="SocketException"/> when the connect was refused
    /// or the host not found, <see cref="TimeoutException"/> when it took longer than the connect timeout, and
    /// <see cref="ModbusConnectionException"/> when the connection was closed first.
    /// </summary>
    public Task Opened => _opened.Task;

    public bool IsAlive => _alive;

    public string? Error { get; private set; }

    public ushort Register(ModbusPending pending, ref int counter)
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

    /// <summary>
    /// Sends a whole frame from the caller's thread: a system call that returns at once, never a wait (the caller may be
    /// the scheduler that polls every device). A request is at most 260 bytes and at most MaxInFlight are unanswered, so
    /// a send buffer without room for one means the device has stopped reading: the connection is dropped (and remade by
    /// the next request), rather than blocking the caller or queueing requests the device will not read.
    /// </summary>
    public void Send(ReadOnlySpan<byte> frame)
    {
        ModbusConnectionException? error = null;
        lock (_sendLock)
        {
            try
            {
                var socket = _socket ?? throw new ObjectDisposedException(nameof(Socket));
                var sent = socket.Send(frame, SocketFlags.None, out var status);
                if (status == SocketError.WouldBlock || (status == SocketError.Success && sent < frame.Length))
                {
                    error = new ModbusConnectionException(string.Create(CultureInfo.InvariantCulture,
                        $"{_endpoint}: the device is not reading its requests (send buffer full after {sent} of {frame.Length} bytes); connection dropped"));
                }
                else if (status != SocketError.Success)
                {
                    throw new SocketException((int)status);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                error = new ModbusConnectionException($"{_endpoint}: send failed ({ex.Message})", ex);
            }
        }

        if (error is not null)
        {
            Fail(error);
            throw error;
        }
    }

    /// <summary>Forgets a timed-out or cancelled request; false when the receive thread already took it.</summary>
    public bool Abandon(ushort transactionId)
    {
        lock (_pending)
        {
            if (!_pending.Remove(transactionId))
            {
                return false;
            }

            ForgetLocked(transactionId);
            return true;
        }
    }

    /// <summary>Ends the connection: fails what is in flight and shuts the socket down, which ends the thread.</summary>
    public void Fail(ModbusException error)
    {
        List<ModbusPending> failed;
        Socket? socket;
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
            socket = _socket;
        }

        _deadlineTimer.Dispose();
        _opened.TrySetException(error);
        foreach (var pending in failed)
        {
            pending.Done.TrySetException(error);
        }

        if (socket is not null)
        {
            try
            {
                // Wakes the thread's poll (a close alone would not interrupt it).
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Not connected yet, or already reset: the dispose below is all there is to do.
            }

            socket.Dispose();
        }
    }

    /// <summary>
    /// Waits (at most <paramref name="limit"/>) until the connection's thread has ended; returns at once when called on
    /// that thread (a caller's continuation that disposes the client runs there).
    /// </summary>
    public async Task WaitEndedAsync(TimeSpan limit)
    {
        if (Thread.CurrentThread == _thread)
        {
            return;
        }

        // A thread in a DNS lookup cannot be interrupted; it ends as soon as the lookup returns.
        await Task.WhenAny(_exited.Task, Task.Delay(limit)).ConfigureAwait(false);
    }

    private static int Microseconds(TimeSpan span) =>
        (int)Math.Clamp(span.Ticks / (TimeSpan.TicksPerMillisecond / 1000), 0, int.MaxValue);

    private void Run()
    {
        try
        {
            if (Open())
            {
                _opened.TrySetResult();
                ReceiveLoop();
            }
        }
        finally
        {
            _exited.TrySetResult();
        }
    }

    /// <summary>Connects (each address of the host in turn, within the connect timeout); false when it did not.</summary>
    private bool Open()
    {
        try
        {
            var started = _time.GetTimestamp();
            var addresses = IPAddress.TryParse(_host, out var address) ? [address] : Dns.GetHostAddresses(_host);
            Exception? last = null;
            foreach (var candidate in addresses)
            {
                var left = _connectTimeout - _time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                last = TryConnect(candidate, left);
                if (last is null)
                {
                    return true;
                }

                if (!_alive)
                {
                    return false;
                }
            }

            _opened.TrySetException(last ?? new TimeoutException($"connect to {_endpoint} timed out"));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            _opened.TrySetException(ex);
        }

        return false;
    }

    /// <summary>One non-blocking connect and a poll for its outcome: null when connected, else why not.</summary>
    private Exception? TryConnect(IPAddress address, TimeSpan timeout)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, Blocking = false };
        lock (_pending)
        {
            if (!_alive)
            {
                socket.Dispose();
                return new ObjectDisposedException(nameof(ModbusConnection));
            }

            // Published before the connect, so that Fail can shut it down (and wake the poll below).
            _socket = socket;
        }

        Exception? error;
        try
        {
            error = Connect(socket, new IPEndPoint(address, _port), timeout);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            error = ex;
        }

        if (error is not null)
        {
            lock (_pending)
            {
                if (_socket == socket)
                {
                    _socket = null;
                }
            }

            socket.Dispose();
        }

        return error;
    }

    private Exception? Connect(Socket socket, IPEndPoint endpoint, TimeSpan timeout)
    {
        try
        {
            socket.Connect(endpoint);
            return null;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            // Under way: its outcome is polled below.
        }

        if (!socket.Poll(Microseconds(timeout), SelectMode.SelectWrite))
        {
            return new TimeoutException($"connect to {_endpoint} timed out");
        }

        var status = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        return status == SocketError.Success ? null : new SocketException((int)status);
    }

    /// <summary>The deadline timer: ends the requests whose time is up, then arms itself for the next deadline.</summary>
    private void OnDeadline()
    {
        List<(ushort Id, ModbusPending Pending)>? expired = null;
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
                ForgetLocked(id);
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

    /// <summary>Remembers an id whose request is gone: a late answer to it is expected and harmless; only an id never sent is a protocol error.</summary>
    private void ForgetLocked(ushort transactionId)
    {
        if (_abandoned.Count >= MaxAbandoned)
        {
            _abandoned.Clear();
        }

        _abandoned.Add(transactionId);
        DisarmIfIdleLocked();
    }

    /// <summary>
    /// Stops the deadline timer when nothing is in flight: at 10 requests a second with a 1 s timeout an armed timer
    /// would fire (two thread wakes) about once a second per connection for nothing. Disarming and arming again is a
    /// change to the timer queue, no wake.
    /// </summary>
    private void DisarmIfIdleLocked()
    {
        if (_pending.Count == 0 && _timerDue != long.MaxValue && _alive)
        {
            _timerDue = long.MaxValue;
            _deadlineTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Makes at least <paramref name="needed"/> unread bytes available from <see cref="_start"/>; fewer only at end of stream.</summary>
    private int Fill(Socket socket, int needed)
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
            // Blocks in poll(2) until bytes (or the end, or a shutdown by Fail) arrive; the receive then returns at once.
            if (!socket.Poll(IdlePollMicroseconds, SelectMode.SelectRead))
            {
                continue;
            }

            if (!_alive)
            {
                throw new ObjectDisposedException(nameof(ModbusConnection));
            }

            var read = socket.Receive(_buffer.AsSpan(_end), SocketFlags.None, out var status);
            if (status == SocketError.WouldBlock)
            {
                continue;
            }

            if (status != SocketError.Success)
            {
                throw new SocketException((int)status);
            }

            if (read == 0)
            {
                break;
            }

            _end += read;
        }

        return _end;
    }

    // Optimized at once: the loop turns once per answer (10 times a second at 100 ms), so tiered compilation would
    // leave it in unoptimized code for minutes before replacing it on the stack. (The AOT gateway compiles it ahead.)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReceiveLoop()
    {
        var socket = _socket!;
        try
        {
            while (_alive)
            {
                var got = Fill(socket, ModbusFrame.HeaderLength);
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

                got = Fill(socket, ModbusFrame.HeaderLength + pduLength) - ModbusFrame.HeaderLength;
                if (got < pduLength)
                {
                    Fail(new ModbusConnectionException($"{_endpoint}: the device closed the connection after {got} of {pduLength} bytes of a response"));
                    return;
                }

                _midFrame = false;
                var bodyStart = _start + ModbusFrame.HeaderLength;
                _start += ModbusFrame.HeaderLength + pduLength;
                ModbusPending? pending;
                lock (_pending)
                {
                    if (!_pending.Remove(transactionId, out pending))
                    {
                        if (_abandoned.Remove(transactionId))
                        {
                            continue;
                        }
                    }
                    else
                    {
                        DisarmIfIdleLocked();
                    }
                }

                if (pending is null)
                {
                    Fail(new ModbusProtocolException($"{_endpoint}: transaction id {transactionId} in a response matches no request in flight; connection dropped"));
                    return;
                }

                Deliver(pending, unit, _buffer.AsSpan(bodyStart, pduLength));
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Fail(new ModbusConnectionException($"{_endpoint}: connection lost ({ex.Message})", ex));
        }
    }

    private void Deliver(ModbusPending pending, byte unit, ReadOnlySpan<byte> pdu)
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
