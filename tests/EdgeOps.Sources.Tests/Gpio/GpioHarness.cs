using System.Device.Gpio;
using System.Threading.Channels;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Sources.Gpio;
using EdgeOps.TestSupport.Gpio;
using Microsoft.Extensions.Time.Testing;

namespace EdgeOps.Sources.Tests.Gpio;

/// <summary>A GPIO source over the real GpioController and the virtual driver, writing to a bounded channel.</summary>
internal sealed class GpioHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 6, 0, 0, TimeSpan.Zero);

    private readonly CancellationTokenSource _cts = new();
    private readonly Task _run;

    public GpioHarness(IReadOnlyList<GpioInputSpec> inputs, int channelCapacity = 100_000, Action<VirtualGpioDriver>? wire = null, bool pullSupported = true, TimeSpan? heartbeat = null)
    {
        Clock = new FakeTimeProvider(Start);
        Driver = new VirtualGpioDriver(Clock, pullSupported: pullSupported);
        wire?.Invoke(Driver);
        Channel = System.Threading.Channels.Channel.CreateBounded<Signal>(new BoundedChannelOptions(channelCapacity) { FullMode = BoundedChannelFullMode.Wait });
        // Heartbeats are off (hourly) unless a test is about them, so signal counts stay exact.
        Source = new GpioSource(inputs, () => new GpioController(Driver), "virtual", Clock, heartbeat: heartbeat ?? TimeSpan.FromHours(1));
        _run = Task.Run(() => Source.RunAsync(Channel.Writer, _cts.Token));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Source.IsConnected)
        {
            if (_run.IsFaulted || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("GPIO source did not start.", _run.Exception);
            }

            Thread.Sleep(1);
        }
    }

    public FakeTimeProvider Clock { get; }

    public VirtualGpioDriver Driver { get; }

    public Channel<Signal> Channel { get; }

    public GpioSource Source { get; }

    public static GpioInputSpec Pulse(int handle, int pin, GpioEdge edge = GpioEdge.Rising, double debounceMs = 5, double minWidthMs = 0, bool activeLow = false) =>
        new(handle, $"m1/count{handle}", new GpioBinding
        {
            Pin = pin,
            Edge = edge,
            Debounce = TimeSpan.FromMilliseconds(debounceMs),
            MinWidth = TimeSpan.FromMilliseconds(minWidthMs),
            ActiveLow = activeLow,
        }, IsPulse: true);

    public static GpioInputSpec Level(int handle, int pin, bool activeLow, double settleMs = 50, GpioPull pull = GpioPull.None) =>
        new(handle, $"m1/level{handle}", new GpioBinding
        {
            Pin = pin,
            ActiveLow = activeLow,
            Debounce = TimeSpan.FromMilliseconds(5),
            Settle = TimeSpan.FromMilliseconds(settleMs),
            Pull = pull,
        }, IsPulse: false);

    public static DateTimeOffset Ms(double ms) => Start + TimeSpan.FromMilliseconds(ms);

    /// <summary>Everything in the channel now.</summary>
    public List<Signal> Drain()
    {
        var list = new List<Signal>();
        while (Channel.Reader.TryRead(out var s))
        {
            list.Add(s);
        }

        return list;
    }

    /// <summary>Reads until the pulses of <paramref name="handle"/> add up to <paramref name="expected"/> or the time runs out.</summary>
    public async Task<double> SumPulsesAsync(int handle, double expected, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        double sum = 0;
        try
        {
            while (sum < expected)
            {
                var s = await Channel.Reader.ReadAsync(cts.Token);
                if (s.Handle == handle)
                {
                    sum += s.Value;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return sum;
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }

        Source.Dispose();
        _cts.Dispose();
    }
}
