using System.Text.Json;
using System.Threading.Channels;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Hosting;
using EdgeOps.Gateway.Recording;
using Microsoft.Extensions.Options;

namespace EdgeOps.Gateway.Engine;

/// <summary>
/// The one loop that owns the engine: applies signals from the sources' channel, advances time, runs commands,
/// hands events and snapshots to the sinks, and checkpoints. On shutdown it drains what the sources already
/// queued and writes a last checkpoint, so a graceful stop loses nothing.
/// </summary>
public sealed partial class EngineLoop : BackgroundService
{
    private static readonly TimeSpan SnapshotInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan IdleSnapshotInterval = TimeSpan.FromSeconds(1);
    private const int MaxSignalsPerPass = 8192;

    private readonly EngineRuntime _runtime;
    private readonly ChannelReader<Signal> _signals;
    private readonly EngineView _view;
    private readonly EngineCommands _commands;
    private readonly IEngineSink[] _sinks;
    private readonly IAnalogObserver[] _analogObservers;
    private readonly ICheckpointParticipant[] _participants;
    private readonly GatewayOptions _options;
    private readonly TimeProvider _realTime;
    private readonly ILogger<EngineLoop> _logger;
    private readonly List<EngineEvent> _events = [];
    private readonly long[] _versions;
    private readonly bool[] _running;
    private readonly bool[] _analogHandles;
    private readonly ISignalWatermark[] _watermarks;
    private SignalRecorder? _recorder;
    private long _signalsProcessed;
    private long _lastBeatTicks;
    private bool _checkpointFailing;

    public EngineLoop(
        EngineRuntime runtime,
        SignalPipe pipe,
        EngineView view,
        EngineCommands commands,
        IEnumerable<ISignalSource> sources,
        IEnumerable<IEngineSink> sinks,
        IEnumerable<IAnalogObserver> analogObservers,
        IEnumerable<ICheckpointParticipant> participants,
        IOptions<GatewayOptions> options,
        TimeProvider realTime,
        ILogger<EngineLoop> logger)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(pipe);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(realTime);
        _runtime = runtime;
        _signals = pipe.Reader;
        _view = view;
        _commands = commands;
        _sinks = [.. sinks];
        _watermarks = [.. sources.OfType<ISignalWatermark>()];
        _analogObservers = [.. analogObservers];
        _participants = [.. participants];
        _options = options.Value;
        // Real time, not the engine's clock (which runs faster for a simulated line): the snapshot and checkpoint
        // cadence and the watchdog's heartbeat are about the process, and its timestamps are monotonic.
        _realTime = realTime;
        _logger = logger;
        var machines = runtime.Catalog.Line.Machines.Count;
        _versions = new long[machines];
        Array.Fill(_versions, -1);
        _running = new bool[machines];
        _analogHandles = [.. runtime.Catalog.All.Select(s => s.Definition.Role == SignalRole.Analog)];
        _lastBeatTicks = _realTime.GetTimestamp();
    }

    /// <summary>When the loop last completed a pass (monotonic); the systemd watchdog is fed only while it is recent.</summary>
    public TimeSpan SinceLastBeat => _realTime.GetElapsedTime(Interlocked.Read(ref _lastBeatTicks));

    /// <summary>Signals processed since start (metrics).</summary>
    public long SignalsProcessed => Interlocked.Read(ref _signalsProcessed);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        RestoreParticipants();
        if (_options.Record is { Length: > 0 } path)
        {
            _recorder = new SignalRecorder(path, _runtime.Catalog, _runtime.Engine.Now);
            EngineLoopLog.Recording(_logger, Path.GetFullPath(path));
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the host's start-up path: the loop runs for the life of the service.
        await Task.Yield();
        var engine = _runtime.Engine;
        var clock = _runtime.Clock;
        var snapshotAt = _realTime.GetTimestamp();
        var checkpointAt = snapshotAt;
        var startedAt = snapshotAt;
        var wedgeAfter = _options.Diagnostics.WedgeEngineAfter;
        // The watchdog counts from the loop's own start, not from construction: host start-up is not a wedge.
        Interlocked.Exchange(ref _lastBeatTicks, _realTime.GetTimestamp());
        // Snapshots advance the engine to their time: take them at engine time, never ahead of the sources.
        PublishSnapshot(engine, engine.Now, force: true);
        Interlocked.Exchange(ref _lastBeatTicks, _realTime.GetTimestamp());

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Read the watermarks before draining: every signal behind them is then already in the channel.
                var limit = LowestWatermark();
                ProcessAvailable(engine);
                var now = clock.GetUtcNow();
                engine.Advance(now < limit ? now : limit);
                _commands.RunPending(engine, engine.Now);
                DispatchEvents(engine);

                var sinceSnapshot = _realTime.GetElapsedTime(snapshotAt);
                if (sinceSnapshot >= SnapshotInterval)
                {
                    PublishSnapshot(engine, engine.Now, force: sinceSnapshot >= IdleSnapshotInterval);
                    snapshotAt = _realTime.GetTimestamp();
                }

                if (_realTime.GetElapsedTime(checkpointAt) >= _options.CheckpointInterval)
                {
                    checkpointAt = _realTime.GetTimestamp();
                    TryCheckpoint(engine);
                }

                Interlocked.Exchange(ref _lastBeatTicks, _realTime.GetTimestamp());
                if (wedgeAfter is { } wedge && _realTime.GetElapsedTime(startedAt) >= wedge)
                {
                    EngineLoopLog.Wedged(_logger, wedge);
                    Thread.Sleep(Timeout.Infinite);
                }
            }
#pragma warning disable CA1031 // One bad pass must not stop counting: log, back off, continue.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                EngineLoopLog.PassFailed(_logger, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(500), stoppingToken).ConfigureAwait(false);
                continue;
            }

            await WaitForSignalsAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // The sources stopped before us (they are registered after us): apply what they queued, then checkpoint.
        var engine = _runtime.Engine;
        var limit = LowestWatermark();
        ProcessAvailable(engine, int.MaxValue);
        var now = _runtime.Clock.GetUtcNow();
        engine.Advance(now < limit ? now : limit);
        _commands.RunPending(engine, engine.Now);
        DispatchEvents(engine);
        PublishSnapshot(engine, engine.Now, force: true);
        TryCheckpoint(engine);
        _commands.Complete();
        _recorder?.Dispose();
        EngineLoopLog.Stopped(_logger, _signalsProcessed);
    }

    /// <summary>Hands each participant its last saved state before the loop runs; one that does not restore is set aside, not fatal.</summary>
    private void RestoreParticipants()
    {
        foreach (var participant in _participants)
        {
            if (_runtime.Store.Load(participant.Key) is not { } saved)
            {
                continue;
            }

            try
            {
                participant.Restore(saved.Json);
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or NotSupportedException)
            {
                EngineLoopLog.ParticipantNotRestored(_logger, participant.Key, saved.SavedAt, ex.Message);
                _runtime.Store.SetAside(participant.Key, saved.SavedAt);
            }
        }
    }

    private DateTimeOffset LowestWatermark()
    {
        var lowest = DateTimeOffset.MaxValue;
        foreach (var source in _watermarks)
        {
            var w = source.Watermark;
            if (w < lowest)
            {
                lowest = w;
            }
        }

        return lowest;
    }

    private void ProcessAvailable(LineEngine engine, int max = MaxSignalsPerPass)
    {
        var n = 0;
        while (n < max && _signals.TryRead(out var signal))
        {
            engine.Process(signal);
            _recorder?.Write(signal);
            if (_analogObservers.Length > 0 && (uint)signal.Handle < (uint)_analogHandles.Length && _analogHandles[signal.Handle])
            {
                var running = _running[_runtime.Catalog[signal.Handle].MachineIndex];
                foreach (var observer in _analogObservers)
                {
                    observer.OnAnalog(signal, running);
                }
            }

            n++;
        }

        if (n > 0)
        {
            Interlocked.Add(ref _signalsProcessed, n);
        }
    }

    private void DispatchEvents(LineEngine engine)
    {
        if (engine.PendingEventCount == 0)
        {
            return;
        }

        _events.Clear();
        engine.DrainEvents(_events);
        foreach (var e in _events)
        {
            _view.Add(e);
            _recorder?.Write(e);
            if (e is StateChangedEvent changed)
            {
                _running[changed.MachineIndex] = changed.To == StateCategory.Running;
            }

            foreach (var sink in _sinks)
            {
                // One sink's failure must not keep the event (and every later one) from the others.
                try
                {
                    sink.OnEvent(e);
                }
#pragma warning disable CA1031 // Which exception a sink throws is its own affair: log it, go on with the others.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    EngineLoopLog.SinkFailed(_logger, sink.GetType().Name, e.GetType().Name, ex);
                }
            }
        }
    }

    private void PublishSnapshot(LineEngine engine, DateTimeOffset now, bool force)
    {
        var changed = force;
        for (var i = 0; i < _versions.Length; i++)
        {
            var version = engine.GetVersion(i);
            if (version != _versions[i])
            {
                _versions[i] = version;
                changed = true;
            }
        }

        if (!changed)
        {
            return;
        }

        var snapshot = engine.GetLineSnapshot(now);
        for (var i = 0; i < snapshot.Machines.Count; i++)
        {
            _running[i] = snapshot.Machines[i].State == StateCategory.Running;
        }

        _view.Publish(snapshot, _signalsProcessed);
        foreach (var sink in _sinks)
        {
            try
            {
                sink.OnSnapshot(snapshot);
            }
#pragma warning disable CA1031 // As for events: one sink's failure must not keep the snapshot from the others.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                EngineLoopLog.SinkFailed(_logger, sink.GetType().Name, nameof(LineSnapshot), ex);
            }
        }
    }

    /// <summary>
    /// A checkpoint that cannot be written (disk full, I/O error) does not stop counting: the loop goes on and tries again
    /// every interval; logged once per outage, not once a pass.
    /// </summary>
    private void TryCheckpoint(LineEngine engine)
    {
        try
        {
            Checkpoint(engine);
            if (_checkpointFailing)
            {
                _checkpointFailing = false;
                EngineLoopLog.CheckpointResumed(_logger);
            }
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            if (!_checkpointFailing)
            {
                _checkpointFailing = true;
                EngineLoopLog.CheckpointFailed(_logger, ex.Message);
            }
        }
    }

    private void Checkpoint(LineEngine engine)
    {
        var now = engine.Now;
        var entries = new List<KeyValuePair<string, string>>(1 + _participants.Length)
        {
            new(EngineRuntime.CheckpointKey, JsonSerializer.Serialize(engine.CreateCheckpoint(now), EngineRuntime.CheckpointJson)),
        };
        foreach (var participant in _participants)
        {
            entries.Add(new(participant.Key, participant.Save(now)));
        }

        _runtime.Store.Save(entries, now);
        _recorder?.Flush();
    }

    private async Task WaitForSignalsAsync(CancellationToken stoppingToken)
    {
        if (_signals.TryPeek(out _))
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(_options.TickInterval);
        try
        {
            await _signals.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // A tick without signals: time still advances.
        }
    }
}

internal static partial class EngineLoopLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Recording every signal to {Path}")]
    public static partial void Recording(ILogger logger, string path);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "Engine pass failed; continuing after a short pause")]
    public static partial void PassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Engine stopped after {Signals} signals; final checkpoint written")]
    public static partial void Stopped(ILogger logger, long signals);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "The '{Key}' checkpoint of {SavedAt:O} does not restore ({Reason}); it is set aside and starts afresh")]
    public static partial void ParticipantNotRestored(ILogger logger, string key, DateTimeOffset savedAt, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Engine checkpoint not written ({Reason}); counting goes on and the checkpoint is retried every interval")]
    public static partial void CheckpointFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Engine checkpoints are written again")]
    public static partial void CheckpointResumed(ILogger logger);

    [LoggerMessage(EventId = 107, Level = LogLevel.Error, Message = "Sink {Sink} failed on a {Event}; the other sinks still get it")]
    public static partial void SinkFailed(ILogger logger, string sink, string @event, Exception exception);

    [LoggerMessage(EventId = 103, Level = LogLevel.Critical, Message = "Fault injection: engine loop wedged after {After} (EdgeOps:Diagnostics:WedgeEngineAfter)")]
    public static partial void Wedged(ILogger logger, TimeSpan after);
}
