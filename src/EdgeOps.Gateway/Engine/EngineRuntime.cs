using System.Text.Json;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Checkpoints;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Checkpoints;
using EdgeOps.Gateway.Hosting;

namespace EdgeOps.Gateway.Engine;

/// <summary>
/// The engine and what it stands on, made once at start-up: the validated line, its signal catalog, the checkpoint
/// store, the clock, and the engine itself (restored from the last checkpoint when there is one).
/// </summary>
public sealed class EngineRuntime : IDisposable
{
    public const string CheckpointKey = "engine";

    internal static System.Text.Json.Serialization.Metadata.JsonTypeInfo<EngineCheckpoint> CheckpointJson => GatewayJson.Checkpoint<EngineCheckpoint>();

    private EngineRuntime(LineDefinition line, string configHash, SignalCatalog catalog, CheckpointStore store, SimulationSetup simulation,
        LineEngine engine, DateTimeOffset? restoredFrom)
    {
        Line = line;
        ConfigHash = configHash;
        Catalog = catalog;
        Store = store;
        Simulation = simulation;
        Engine = engine;
        RestoredFrom = restoredFrom;
    }

    public LineDefinition Line { get; }

    /// <summary>SHA-256 (first 12 hex digits) of the line file, reported in the gateway's birth message.</summary>
    public string ConfigHash { get; }

    public SignalCatalog Catalog { get; }

    public CheckpointStore Store { get; }

    /// <summary>The engine's clock: the system clock, or the simulator's when the simulator runs faster than real time.</summary>
    public TimeProvider Clock => Simulation.Clock;

    /// <summary>The line's simulator (if any) and the engine's clock, on which the other sources run too.</summary>
    public SimulationSetup Simulation { get; }

    /// <summary>Owned by the engine loop's thread once the host runs.</summary>
    public LineEngine Engine { get; }

    /// <summary>Engine time of the checkpoint the engine resumed from; null on a fresh start.</summary>
    public DateTimeOffset? RestoredFrom { get; }

    /// <summary>
    /// Opens the store under <paramref name="dataDirectory"/>, restores the engine from its checkpoint when there is a
    /// usable one, and makes the simulator with its clock (<see cref="SimulationSetup"/>), resuming from the checkpoint's
    /// time so a simulated clock continues where it stopped instead of jumping back. <paramref name="realTime"/> is the
    /// clock of a line that is not simulated.
    /// </summary>
    public static EngineRuntime Create(LineDefinition line, string lineFileText, string dataDirectory, TimeProvider realTime,
        Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(realTime);
        Directory.CreateDirectory(dataDirectory);
        var catalog = new SignalCatalog(line);
        var store = new CheckpointStore(Path.Combine(dataDirectory, "engine.db"));
        try
        {
            var saved = LoadCheckpoint(store, line, warn);
            var simulation = SimulationSetup.Create(catalog, saved?.CreatedAt, realTime);
            var clock = simulation.Clock;
            // A simulated line starts exactly where its simulator does, so its first signals are not before the engine's start.
            var now = clock is EdgeOps.Sources.Simulation.SimulatedClock simulated && saved is null ? simulated.Start : clock.GetUtcNow();
            if (saved is not null && saved.CreatedAt > now)
            {
                // The clock is behind the checkpoint (a Pi without RTC before NTP sync): resume at the checkpoint's time.
                now = saved.CreatedAt;
            }

            LineEngine engine;
            DateTimeOffset? restoredFrom = null;
            if (saved is not null)
            {
                try
                {
                    engine = LineEngine.Restore(catalog, saved, now);
                    restoredFrom = saved.CreatedAt;
                }
                catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or KeyNotFoundException or IndexOutOfRangeException)
                {
                    warn?.Invoke($"The engine checkpoint of {saved.CreatedAt:O} does not fit the line file ({ex.Message}); it is set aside and counting starts afresh.");
                    store.SetAside(CheckpointKey, now);
                    engine = new LineEngine(catalog, now);
                }
            }
            else
            {
                engine = new LineEngine(catalog, now);
            }

            return new EngineRuntime(line, ConfigFingerprint.Of(lineFileText), catalog, store, simulation, engine, restoredFrom);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public void Dispose() => Store.Dispose();

    private static EngineCheckpoint? LoadCheckpoint(CheckpointStore store, LineDefinition line, Action<string>? warn)
    {
        if (store.Load(CheckpointKey) is not { } saved)
        {
            return null;
        }

        try
        {
            var checkpoint = JsonSerializer.Deserialize(saved.Json, CheckpointJson);
            if (checkpoint is null || checkpoint.Line != line.Line)
            {
                warn?.Invoke($"The engine checkpoint belongs to line '{checkpoint?.Line}', not '{line.Line}'; it is set aside.");
                store.SetAside(CheckpointKey, saved.SavedAt);
                return null;
            }

            return checkpoint;
        }
        catch (JsonException ex)
        {
            warn?.Invoke($"The engine checkpoint does not parse ({ex.Message}); it is set aside.");
            store.SetAside(CheckpointKey, saved.SavedAt);
            return null;
        }
    }
}
