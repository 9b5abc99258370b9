using System.Threading.Channels;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Modbus;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Sources.Modbus;

/// <summary>
/// Machine signals polled from one Modbus TCP device: the device's signals coalesced into the fewest reads
/// (<see cref="ModbusReadPlanner"/>), all read at the device's poll instants on the <see cref="PollScheduler"/> the
/// line's Modbus sources share. A read that fails makes its signals Bad, and a device that
/// does not answer makes all of them Bad: stale, so the machine is Offline, never Down. The client reconnects by
/// itself (with backoff); the poll loop just keeps polling, so nothing needs restarting when the device comes back.
/// </summary>
public sealed class ModbusSignalSource : ISignalSource, IAsyncDisposable
{
    private readonly ModbusDeviceDefinition _device;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ModbusClient _client;
    private readonly PollScheduler _scheduler;
    private readonly ModbusByteOrder _byteOrder;
    private readonly List<Binding> _bindings = [];
    private Block[] _blocks;
    private Task[] _reads = [];
    private bool _deviceLost;

    /// <summary>Binds every signal of <paramref name="catalog"/> whose Modbus binding names <paramref name="device"/>.</summary>
    /// <param name="device">The device and its poll settings.</param>
    /// <param name="catalog">The line's signals.</param>
    /// <param name="logger">Where the source logs.</param>
    /// <param name="timeProvider">The clock (the system's when null).</param>
    /// <param name="scheduler">
    /// The timer this source waits on between polls, shared by the line's Modbus sources (one timer wake per tick for
    /// all devices); on <paramref name="timeProvider"/>'s clock. A scheduler of its own when null.
    /// </param>
    public ModbusSignalSource(ModbusDeviceDefinition device, SignalCatalog catalog, ILogger<ModbusSignalSource> logger, TimeProvider? timeProvider = null,
        PollScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _device = device ?? throw new ArgumentNullException(nameof(device));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = timeProvider ?? TimeProvider.System;
        _scheduler = scheduler ?? new PollScheduler(_time);
        ModbusDataTypes.TryParseByteOrder(device.ByteOrder, out _byteOrder);
        foreach (var signal in catalog.All)
        {
            if (signal.Definition.Source is ModbusBinding binding && string.Equals(binding.Device, device.Name, StringComparison.Ordinal))
            {
                if (Resolve(signal, binding) is { } resolved)
                {
                    _bindings.Add(resolved);
                }
            }
        }

        _blocks = Plan([.. _bindings], device.MaxGap);
        _client = new ModbusClient(new ModbusClientOptions
        {
            Host = device.Host,
            Port = device.Port,
            RequestTimeout = device.Timeout,
            MaxInFlight = device.MaxInFlight,
            ReconnectMaxDelay = device.PollInterval * 10 < TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(30) : device.PollInterval * 10,
        }, _time);
    }

    /// <inheritdoc />
    public string Name => "modbus:" + _device.Name;

    /// <inheritdoc />
    public bool IsConnected => _client.IsConnected;

    /// <summary>Signals bound to this device.</summary>
    public int SignalCount => _bindings.Count;

    /// <summary>Reads each poll makes (after coalescing).</summary>
    public int ReadsPerPoll => _blocks.Length;

    /// <summary>Requests sent so far (reads of every poll, for tests and metrics).</summary>
    public long RequestsSent => _client.RequestsSent;

    /// <summary>Bindings that could not be used, each naming the signal and the problem.</summary>
    public IList<string> BindingErrors { get; } = [];

    /// <inheritdoc />
    public async Task RunAsync(ChannelWriter<Signal> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_blocks.Length == 0)
        {
            return;
        }

        ModbusSourceLog.Polling(_logger, _device.Name, _client.Endpoint, _device.UnitId, _bindings.Count, _blocks.Length, _device.PollInterval);
        var tick = _time.GetUtcNow();
        try
        {
            while (true)
            {
                await PollOnceAsync(output, cancellationToken).ConfigureAwait(false);
                var now = _time.GetUtcNow();
                tick = NextPoll(now, tick, _device.PollInterval);
                await _scheduler.WaitUntilAsync(tick, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// When to poll after the poll for <paramref name="last"/>: the next multiple of <paramref name="interval"/> on the
    /// clock (since 0001-01-01 UTC) after it, or, when a poll overran and that has passed, the first one after
    /// <paramref name="now"/> (the ticks it missed are skipped).
    /// </summary>
    /// <remarks>
    /// Every device with the same interval polls at the same instants, rather than on a timer started whenever its
    /// source started, so the one <see cref="PollScheduler"/> the line's sources share wakes once per tick for all of
    /// them: at 10 devices × 100 ms each poll is a few µs of work, and the wakes around it were most of the CPU
    /// (docs/PERFORMANCE.md, "Modbus TCP polling"). The next tick counts from the tick polled, not from the
    /// time the timer fired, so a timer that fires a little early (its clock is not this one) does not poll twice.
    /// </remarks>
    public static DateTimeOffset NextPoll(DateTimeOffset now, DateTimeOffset last, TimeSpan interval)
    {
        var period = Math.Max(1, interval.Ticks);
        var next = ((last.UtcTicks / period) + 1) * period;
        if (next < now.UtcTicks)
        {
            next = ((now.UtcTicks + period - 1) / period) * period;
        }

        return new DateTimeOffset(next, TimeSpan.Zero);
    }

    /// <summary>One poll: every read of the plan, then the values (or Bad) to the engine.</summary>
    public async Task PollOnceAsync(ChannelWriter<Signal> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);

        // All reads start at once: the client keeps MaxInFlight of them on the wire and queues the rest.
        var reads = _reads.Length == _blocks.Length ? _reads : (_reads = new Task[_blocks.Length]);
        for (var i = 0; i < _blocks.Length; i++)
        {
            reads[i] = _blocks[i].ReadAsync(_client, _device.UnitId, cancellationToken);
        }

        var failedAll = true;
        string? firstError = null;
        List<Block>? split = null;
        for (var i = 0; i < _blocks.Length; i++)
        {
            var block = _blocks[i];
            try
            {
                await reads[i].ConfigureAwait(false);
            }
            catch (ModbusServerException ex) when (ex.Code == ModbusExceptionCode.IllegalDataAddress && block.Signals.Length > 1 && block.SpansHoles)
            {
                // The coalesced read spans addresses the device does not map: read these signals without holes from
                // the next poll on (and the device answers, so it is not lost).
                failedAll = false;
                ModbusSourceLog.SplitRead(_logger, _device.Name, block.Plan.Table.Name(), block.Plan.Address, block.Plan.Address + block.Plan.Count - 1);
                (split ??= []).Add(block);
                continue;
            }
            catch (ModbusException ex)
            {
                firstError ??= ex.Message;
                if (ex is ModbusServerException && !block.Failed)
                {
                    // The device answers but refuses this range (unmapped, wrong table): name the signals.
                    ModbusSourceLog.ReadFailed(_logger, _device.Name, block.Plan.Table.Name(), block.Plan.Address, block.Plan.Address + block.Plan.Count - 1,
                        ModbusServerException.Name(((ModbusServerException)ex).Code), string.Join(", ", block.Signals.Select(s => s.Signal.Key)));
                }

                if (!block.Failed)
                {
                    block.Failed = true;
                    await MarkAsync(block, output, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            failedAll = false;
            block.Failed = false;
            var now = _time.GetUtcNow();
            foreach (var binding in block.Signals)
            {
                // Synchronous while the engine's pipe has room; waits (back-pressure, nothing dropped) when it is full.
                var signal = new Signal(binding.Signal.Handle, block.Decode(binding, _byteOrder), now);
                if (!output.TryWrite(signal))
                {
                    await output.WriteAsync(signal, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (split is not null)
        {
            _blocks = [.. _blocks.Except(split).Concat(split.SelectMany(b => Plan(b.Signals, maxGap: 0)))];
        }

        if (failedAll && !_deviceLost)
        {
            _deviceLost = true;
            ModbusSourceLog.DeviceLost(_logger, _device.Name, firstError ?? "no answer");
        }
        else if (!failedAll && _deviceLost)
        {
            _deviceLost = false;
            ModbusSourceLog.DeviceBack(_logger, _device.Name);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private async Task MarkAsync(Block block, ChannelWriter<Signal> output, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var binding in block.Signals)
        {
            await output.WriteAsync(new Signal(binding.Signal.Handle, 0, now, SignalQuality.Bad), cancellationToken).ConfigureAwait(false);
        }
    }

    private Block[] Plan(IReadOnlyList<Binding> bindings, int maxGap)
    {
        var plan = ModbusReadPlanner.Plan([.. bindings.Select(b => b.Item)], _device.MaxRegistersPerRead, maxGap);
        return [.. plan.Select(p => new Block(p, [.. p.Items.Select(i => bindings[i])]))];
    }

    private Binding? Resolve(SignalInfo signal, ModbusBinding binding)
    {
        string? error = null;
        if (!ModbusTables.TryParse(binding.Table, out var table))
        {
            error = $"table '{binding.Table}' is not one of {string.Join(", ", ModbusTables.Names)}";
        }
        else if (!ModbusDataTypes.TryParse(binding.Type, out var type))
        {
            error = $"type '{binding.Type}' is not one of {string.Join(", ", ModbusDataTypes.Names)}";
        }
        else if (!type.FitsTable(table))
        {
            error = $"type {binding.Type} does not fit the {binding.Table} table";
        }
        else if (binding.Address < 0 || binding.Address + type.RegisterCount() > 65536)
        {
            error = $"address {binding.Address} is outside 0..65535";
        }
        else
        {
            ModbusDataTypes.TryParseWordOrder(binding.WordOrder, out var words);
            return new Binding(signal, new ModbusReadItem(table, (ushort)binding.Address, table.IsBits() ? 1 : type.RegisterCount()),
                type, words, binding.Bit ?? 0, binding.Scale, binding.Offset);
        }

        ModbusSourceLog.BadBinding(_logger, _device.Name, signal.Key, error);
        BindingErrors.Add($"{signal.Key}: {error}");
        return null;
    }

    private sealed record Binding(SignalInfo Signal, ModbusReadItem Item, ModbusDataType Type, ModbusWordOrder WordOrder, int Bit, double Scale, double Offset);

    /// <summary>One read of the plan with its own buffer, reused every poll.</summary>
    private sealed class Block(ModbusReadBlock plan, Binding[] signals)
    {
        private readonly ushort[] _registers = plan.Table.IsBits() ? [] : new ushort[plan.Count];
        private readonly bool[] _bits = plan.Table.IsBits() ? new bool[plan.Count] : [];

        public ModbusReadBlock Plan { get; } = plan;

        public Binding[] Signals { get; } = signals;

        public bool Failed { get; set; }

        /// <summary>True when the read covers addresses no signal uses.</summary>
        public bool SpansHoles
        {
            get
            {
                var covered = new bool[Plan.Count];
                foreach (var s in Signals)
                {
                    covered.AsSpan(s.Item.Address - Plan.Address, s.Item.Length).Fill(true);
                }

                return Array.IndexOf(covered, false) >= 0;
            }
        }

        public Task ReadAsync(ModbusClient client, byte unit, CancellationToken cancellationToken) =>
            Plan.Table.IsBits()
                ? client.ReadBitsAsync(Plan.Table, unit, Plan.Address, _bits, cancellationToken)
                : client.ReadRegistersAsync(Plan.Table, unit, Plan.Address, _registers, cancellationToken);

        public double Decode(Binding binding, ModbusByteOrder byteOrder)
        {
            var offset = binding.Item.Address - Plan.Address;
            var raw = Plan.Table.IsBits()
                ? (_bits[offset] ? 1 : 0)
                : ModbusValueCodec.Decode(_registers.AsSpan(offset, binding.Item.Length), binding.Type, binding.WordOrder, byteOrder, binding.Bit);
            return (raw * binding.Scale) + binding.Offset;
        }
    }
}
