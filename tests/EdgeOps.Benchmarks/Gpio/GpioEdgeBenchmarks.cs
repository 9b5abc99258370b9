using System.Device.Gpio;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Signals;
using EdgeOps.Sources.Gpio;
using EdgeOps.TestSupport.Gpio;
using Microsoft.Extensions.Time.Testing;

namespace EdgeOps.Benchmarks.Gpio;

/// <summary>
/// One operation = one raw edge from the virtual driver through the real GpioController, the source's callback
/// (timestamp, debounce), the outbox and a bounded channel into <see cref="LineEngine.Process"/> on another thread.
/// Each invocation drives <see cref="Pulses"/> clean pulses at 2 kHz of driver time and checks the engine counted
/// every one (zero loss), so edges/s = 1 / Mean. <c>Capacity</c> 64 keeps the channel full most of the time (the
/// outbox's merge path); 65 536 lets pulses go straight in.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcess))]
public class GpioEdgeBenchmarks
{
    private const int Pulses = 10_000;
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private readonly TimeSpan _period = TimeSpan.FromMicroseconds(500);
    private DateTimeOffset _t;
    private FakeTimeProvider _clock = null!;
    private VirtualGpioDriver _driver = null!;
    private GpioSource _source = null!;
    private LineEngine _engine = null!;
    private Channel<Signal> _channel = null!;
    private CancellationTokenSource _cts = null!;
    private Task _run = null!;
    private long _counted;

    [Params(64, 65_536)]
    public int Capacity { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _clock = new FakeTimeProvider(Start);
        _driver = new VirtualGpioDriver(_clock);
        var catalog = new SignalCatalog(GpioLines.Line(pins: 1, debounce: TimeSpan.FromMicroseconds(50)));
        _engine = new LineEngine(catalog, Start);
        _channel = Channel.CreateBounded<Signal>(new BoundedChannelOptions(Capacity) { SingleReader = true });
        _source = new GpioSource(GpioSource.FromCatalog(catalog), () => new GpioController(_driver), "virtual", _clock, heartbeat: TimeSpan.FromDays(1));
        _cts = new CancellationTokenSource();
        _run = Task.Run(() => _source.RunAsync(_channel.Writer, _cts.Token));
        while (!_source.IsConnected)
        {
            Thread.Sleep(1);
        }

        _t = Start;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cts.Cancel();
        _run.Wait();
        _source.Dispose();
        _cts.Dispose();
    }

    [Benchmark(OperationsPerInvoke = 2 * Pulses)]
    public long EdgesIntoEngine()
    {
        var target = _counted + Pulses;
        var reader = Task.Run(() =>
        {
            // The engine's loop: one reader, processes as fast as signals come.
            var r = _channel.Reader;
            while (_counted < target)
            {
                while (r.TryRead(out var s))
                {
                    _engine.Process(s);
                    _counted += (long)s.Value;
                }

                if (_counted < target)
                {
                    r.WaitToReadAsync().AsTask().Wait();
                }
            }
        });
        for (var i = 0; i < Pulses; i++)
        {
            _driver.Pulse(0, _t, _period / 2, PinValue.High);
            _t += _period;
        }

        _driver.AdvanceTo(_t);
        if (!reader.Wait(TimeSpan.FromMinutes(1)) || _counted != target)
        {
            throw new InvalidOperationException($"lost pulses: engine counted {_counted}, expected {target}");
        }

        return _counted;
    }

    private sealed class ShortInProcess : ManualConfig
    {
        public ShortInProcess()
        {
            AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
        }
    }
}
