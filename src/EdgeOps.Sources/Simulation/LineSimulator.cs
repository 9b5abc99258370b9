using System.Threading.Channels;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Sources.Simulation;

/// <summary>
/// The built-in line simulator: drives every signal whose source is the simulator (or not set) from a deterministic
/// discrete-event model of the line (see <see cref="Generate"/>). <see cref="RunAsync"/> plays the same sequence paced
/// against a real clock at the configured speed; <see cref="Clock"/> is the simulated time, for the engine.
/// </summary>
public sealed class LineSimulator : ISignalSource, ISignalWatermark
{
    private readonly LineDefinition _line;
    private readonly SignalCatalog _catalog;
    private readonly TimeProvider _realTime;
    private volatile bool _running;
    private long _watermarkTicks;

    /// <param name="catalog">The line's signal catalog; its line must have a <c>sources.simulator</c> section (defaults otherwise).</param>
    /// <param name="realTime">The clock that paces <see cref="RunAsync"/>.</param>
    /// <param name="start">The simulated start instant; the config's <c>start</c>, else the real clock's now.</param>
    public LineSimulator(SignalCatalog catalog, TimeProvider realTime, DateTimeOffset? start = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(realTime);
        _catalog = catalog;
        _line = catalog.Line;
        _realTime = realTime;
        Settings = _line.Sources.Simulator ?? new SimulatorDefinition();
        Clock = new SimulatedClock(realTime, start ?? Settings.Start ?? realTime.GetUtcNow(), Settings.Speed);
    }

    public string Name => "simulator";

    /// <summary>Every signal before this simulated instant has been written (see <see cref="ISignalWatermark"/>).</summary>
    public DateTimeOffset Watermark => new(Interlocked.Read(ref _watermarkTicks), TimeSpan.Zero);

    public bool IsConnected => _running;

    public SimulatorDefinition Settings { get; }

    /// <summary>The catalog whose handles the signals carry.</summary>
    public SignalCatalog Catalog => _catalog;

    /// <summary>Simulated time, starting at the simulator's start instant and running at its speed.</summary>
    public SimulatedClock Clock { get; }

    /// <summary>
    /// Every signal the model produces from <paramref name="from"/> up to (not including) <paramref name="to"/>, in
    /// time order, without waiting. Same seed and <paramref name="from"/>, same sequence, every time.
    /// </summary>
    public IEnumerable<Signal> Generate(DateTimeOffset from, DateTimeOffset to) => new LineModel(_line, _catalog).Run(from, to);

    /// <summary>
    /// Plays <see cref="Generate"/> from <see cref="SimulatedClock.Start"/>, writing each signal when the simulated
    /// clock reaches its timestamp. Back-pressure from a full channel slows the simulation; nothing is dropped.
    /// </summary>
    public async Task RunAsync(ChannelWriter<Signal> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        _running = true;
        Interlocked.Exchange(ref _watermarkTicks, Clock.Start.UtcTicks);
        try
        {
            foreach (var signal in Generate(Clock.Start, DateTimeOffset.MaxValue))
            {
                // Everything before this signal is in the channel: the engine may advance up to its timestamp.
                Interlocked.Exchange(ref _watermarkTicks, signal.Timestamp.UtcTicks);
                var wait = signal.Timestamp - Clock.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(Clock.ToBase(wait), _realTime, cancellationToken).ConfigureAwait(false);
                }

                await output.WriteAsync(signal, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _running = false;
        }
    }
}
