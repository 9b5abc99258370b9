using System.Text.Json;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Kpi;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Hosting;
using EdgeOps.Gateway.Recording;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops replay &lt;file&gt; --config &lt;line.yaml&gt;</c>: runs a recording through a fresh engine as fast as it can
/// and prints the shift records and final KPIs as JSON. How a plant engineer tries a new micro-stop threshold
/// against last week, and how KPI behaviour is tested end to end.
/// </summary>
internal sealed class ReplayCommand : ICommand
{
    /// <summary>Engine time advances on this grid between signals, as the live loop's ticks do.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    public IReadOnlyList<string> Path { get; } = ["replay"];

    public string Usage => "replay <file> --config <line.yaml> [--until <time>]   run a recording through the engine, print shift records and KPIs as JSON";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string? file = null;
        string? config = null;
        DateTimeOffset? until = null;
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case "--config" when i + 1 < arguments.Count:
                    config = arguments[++i];
                    break;
                case "--until" when i + 1 < arguments.Count && DateTimeOffset.TryParse(arguments[i + 1], System.Globalization.CultureInfo.InvariantCulture, out var u):
                    until = u;
                    i++;
                    break;
                default:
                    if (file is null && !arguments[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        file = arguments[i];
                    }
                    else
                    {
                        await error.WriteLineAsync($"replay: unexpected argument '{arguments[i]}'. Usage: edgeops {Usage}").ConfigureAwait(false);
                        return 64;
                    }

                    break;
            }
        }

        if (file is null || config is null)
        {
            await error.WriteLineAsync($"Usage: edgeops {Usage}").ConfigureAwait(false);
            return 64;
        }

        if (!File.Exists(file))
        {
            await error.WriteLineAsync($"replay: {file}: no such recording").ConfigureAwait(false);
            return 66;
        }

        var (line, errors) = LineFile.Load(config);
        if (line is null)
        {
            foreach (var e in errors)
            {
                await error.WriteLineAsync(e).ConfigureAwait(false);
            }

            return 2;
        }

        var result = Replay(file, new SignalCatalog(line.Definition), until, cancellationToken);
        foreach (var e in result.Errors.Take(20))
        {
            await error.WriteLineAsync($"{file}: {e}").ConfigureAwait(false);
        }

        if (result.Errors.Count > 20)
        {
            await error.WriteLineAsync($"{file}: … {result.Errors.Count - 20} more lines skipped").ConfigureAwait(false);
        }

        await output.WriteLineAsync(JsonSerializer.Serialize(result.Output, Hosting.GatewayJson.Info<ReplayOutput>(Hosting.GatewayJson.Replay))).ConfigureAwait(false);
        return 0;
    }

    /// <summary>What a replay gives: the JSON document printed, and the recording lines that were skipped.</summary>
    internal sealed record ReplayResult(ReplayOutput Output, IReadOnlyList<RecordingError> Errors);

    /// <summary>The printed document.</summary>
    internal sealed record ReplayOutput(long Signals, IReadOnlyList<ShiftRecord> Shifts, LineSnapshot? Final, int SkippedLines);

    internal static ReplayResult Replay(string file, SignalCatalog catalog, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var errors = new List<RecordingError>();
        var events = new List<EngineEvent>();
        var shifts = new Dictionary<(string, string), ShiftRecord>();
        DateTimeOffset? start = null;
        LineEngine? engine = null;
        long signals = 0;
        DateTimeOffset nextTick = default;

        foreach (var signal in RecordingReader.Read(file, catalog, errors, header => start ??= header))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (engine is null)
            {
                // The live engine started at the header's time; start there too, so both see the same signals as early or on time.
                var origin = start ?? signal.Timestamp;
                engine = new LineEngine(catalog, origin);
                nextTick = origin + Tick;
            }

            // Time passes between signals as it did live: the loop advanced the engine every tick.
            while (nextTick <= signal.Timestamp)
            {
                engine.Advance(nextTick);
                nextTick += Tick;
            }

            engine.Process(signal);
            signals++;
            Collect(engine, events, shifts);
        }

        if (engine is null)
        {
            return new ReplayResult(new ReplayOutput(0, [], null, errors.Count), errors);
        }

        var end = until ?? engine.Now;
        while (nextTick <= end)
        {
            engine.Advance(nextTick);
            nextTick += Tick;
            if (engine.PendingEventCount > 256)
            {
                Collect(engine, events, shifts);
            }
        }

        engine.Advance(end);
        Collect(engine, events, shifts);
        var ordered = shifts.Values.OrderBy(r => r.Start).ThenBy(r => r.MachineId, StringComparer.Ordinal).ToArray();
        return new ReplayResult(new ReplayOutput(signals, ordered, engine.GetLineSnapshot(end), errors.Count), errors);
    }

    private static void Collect(LineEngine engine, List<EngineEvent> events, Dictionary<(string, string), ShiftRecord> shifts)
    {
        if (engine.PendingEventCount == 0)
        {
            return;
        }

        events.Clear();
        engine.DrainEvents(events);
        foreach (var e in events)
        {
            var record = e switch
            {
                ShiftClosedEvent closed => closed.Record,
                ShiftRevisedEvent revised => revised.Record,
                _ => null,
            };
            if (record is not null)
            {
                shifts[(record.MachineId, record.ShiftId)] = record;
            }
        }
    }
}
