using System.Device.Gpio;
using EdgeOps.Modbus;
using EdgeOps.Sources.Modbus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeOps.Sources.Outputs;

/// <summary>
/// A <see cref="GpioDriver"/> whose output "pins" are coils of a Modbus device, so stack lights and andon lamps run
/// unchanged (<see cref="StackLight"/> over a <see cref="GpioController"/>) on a PLC's or a Modbus I/O module's outputs.
/// Writes are synchronous for the light (it writes under its lock, on the engine's and the timer's threads) and reach
/// the device from this driver's own loop: changed coils at once, every coil again every <c>refresh</c> (so lamps come
/// back after the device restarts) and after any failed write, which is logged once per outage.
/// </summary>
public sealed class ModbusCoilDriver : GpioDriver
{
    private readonly ModbusClient _client;
    private readonly byte _unit;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly TimeSpan _refresh;
    private readonly Dictionary<int, bool> _wanted = [];
    private readonly Dictionary<int, bool> _written = [];
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private bool _failing;

    /// <summary>Drives coils of <paramref name="unit"/> on <paramref name="options"/>' device; <paramref name="name"/> appears in logs.</summary>
    public ModbusCoilDriver(ModbusClientOptions options, byte unit, string name, ILogger? logger = null, TimeSpan? refresh = null, TimeProvider? time = null)
    {
        _client = new ModbusClient(options, time);
        _unit = unit;
        _name = name;
        _logger = logger ?? NullLogger.Instance;
        _refresh = refresh ?? TimeSpan.FromSeconds(5);
        _loop = Task.Run(() => FlushLoopAsync(_stop.Token));
    }

    /// <summary>Coils written to the device so far (for tests and the lamp test).</summary>
    public long Writes { get; private set; }

    /// <inheritdoc />
    protected override int PinCount => 65536;

    /// <inheritdoc />
    protected override void OpenPin(int pinNumber)
    {
        lock (_wanted)
        {
            _wanted.TryAdd(pinNumber, false);
        }
    }

    /// <inheritdoc />
    protected override void ClosePin(int pinNumber)
    {
        // The coil keeps what was last written (SafeOff writes off before closing); nothing to release on the device.
    }

    /// <inheritdoc />
    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        if (mode != PinMode.Output)
        {
            throw new NotSupportedException($"coil {pinNumber} of Modbus device {_name} is an output; {mode} is not supported");
        }
    }

    /// <inheritdoc />
    protected override PinMode GetPinMode(int pinNumber) => PinMode.Output;

    /// <inheritdoc />
    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => mode == PinMode.Output;

    /// <inheritdoc />
    protected override PinValue Read(int pinNumber)
    {
        lock (_wanted)
        {
            return _wanted.GetValueOrDefault(pinNumber) ? PinValue.High : PinValue.Low;
        }
    }

    /// <inheritdoc />
    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_wanted)
        {
            _wanted[pinNumber] = value == PinValue.High;
        }

        Wake();
    }

    /// <inheritdoc />
    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Modbus coils are outputs: no events");

    /// <inheritdoc />
    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException("Modbus coils are outputs: no events");

    /// <inheritdoc />
    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Last chance for the "all off" the light wrote on its way out; a dead device cannot get it anyway.
            _stop.Cancel();
            try
            {
                _loop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // Logged by the loop.
            }

            _client.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
            _stop.Dispose();
            _changed.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Wake()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
        catch (ObjectDisposedException)
        {
            // Disposed: nothing more reaches the device.
        }
    }

    private async Task FlushLoopAsync(CancellationToken cancellationToken)
    {
        var everything = true;
        while (true)
        {
            var stopping = cancellationToken.IsCancellationRequested;
            everything |= await FlushAsync(everything, stopping ? CancellationToken.None : cancellationToken).ConfigureAwait(false);
            if (stopping)
            {
                return;
            }

            try
            {
                // A failed write retries after a second; otherwise wait for a change or the refresh.
                everything |= !await _changed.WaitAsync(_failing ? TimeSpan.FromSeconds(1) : _refresh, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // One last flush, then out.
            }
        }
    }

    /// <summary>Writes the coils that changed (or all); returns true when something failed and everything must go again.</summary>
    private async Task<bool> FlushAsync(bool everything, CancellationToken cancellationToken)
    {
        List<KeyValuePair<int, bool>> pending;
        lock (_wanted)
        {
            pending = [.. _wanted.Where(w => everything || !_written.TryGetValue(w.Key, out var v) || v != w.Value)];
        }

        try
        {
            foreach (var (coil, on) in pending)
            {
                await _client.WriteSingleCoilAsync(_unit, (ushort)coil, on, cancellationToken).ConfigureAwait(false);
                Writes++;
                lock (_wanted)
                {
                    _written[coil] = on;
                }
            }

            _failing = false;
            return false;
        }
        catch (ModbusException ex)
        {
            if (!_failing)
            {
                ModbusSourceLog.LampWriteFailed(_logger, _name, ex.Message);
            }

            _failing = true;
            return true;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}
