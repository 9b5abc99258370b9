using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Kpi;
using EdgeOps.Core.Orders;
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

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

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

        await output.WriteLineAsync(JsonSerializer.Serialize(result.Output, Json)).ConfigureAwait(false);
        return 0;
    }

    /// <summary>What a replay gives: the JSON document printed, and the recording lines that were skipped.</summary>
    internal sealed record ReplayResult(ReplayOutput Output, IReadOnlyList<RecordingError> Errors);

    /// <summary>The printed document.</summary>
    /// <param name="Orders">Every order completed in the recording (its last revision), then the ones still running at the end.</param>
    internal sealed record ReplayOutput(long Signals, IReadOnlyList<ShiftRecord> Shifts, LineSnapshot? Final, int SkippedLines, IReadOnlyList<OrderRecord> Orders);

    internal static ReplayResult Replay(string file, SignalCatalog catalog, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var errors = new List<RecordingError>();
        var events = new List<EngineEvent>();
        var shifts = new Dictionary<(string, string), ShiftRecord>();
        var orders = new Dictionary<(bool, string, string, DateTimeOffset), OrderRecord>();
        DateTimeOffset? start = null;
        LineEngine? engine = null;
        long signals = 0;
        DateTimeOffset nextTick = default;

        foreach (var entry in RecordingReader.ReadEntries(file, catalog, errors, header => start ??= header))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var at = entry.Signal?.Timestamp ?? entry.Command!.At;
            if (engine is null)
            {
                // The live engine started at the header's time; start there too, so both see the same signals as early or on time.
                var origin = start ?? at;
                engine = new LineEngine(catalog, origin);
                nextTick = origin + Tick;
            }

            // Time passes between signals as it did live: the loop advanced the engine every tick.
            while (nextTick <= at)
            {
                engine.Advance(nextTick);
                nextTick += Tick;
            }

            if (entry.Signal is { } signal)
            {
                engine.Process(signal);
                signals++;
            }
            else if (entry.Command!.Apply(engine) is { Accepted: false } refused)
            {
                // The live engine accepted it; refused here means the line file changed since (a product removed).
                errors.Add(new RecordingError(0, $"{entry.Command.Command} {entry.Command.OrderId ?? entry.Command.Product} at {entry.Command.At:O}: {refused.Field}: {refused.Error}"));
            }

            Collect(engine, events, shifts, orders);
        }

        if (engine is null)
        {
            return new ReplayResult(new ReplayOutput(0, [], null, errors.Count, []), errors);
        }

        var end = until ?? engine.Now;
        while (nextTick <= end)
        {
            engine.Advance(nextTick);
            nextTick += Tick;
            if (engine.PendingEventCount > 256)
            {
                Collect(engine, events, shifts, orders);
            }
        }

        engine.Advance(end);
        Collect(engine, events, shifts, orders);
        var ordered = shifts.Values.OrderBy(r => r.Start).ThenBy(r => r.MachineId, StringComparer.Ordinal).ToArray();
        var final = engine.GetLineSnapshot(end);
        var running = final.Machines.Select(m => m.Order).Append(final.Order).OfType<OrderRecord>()
            .Where(o => !o.LineScope || o.MachineId == final.OutputMachineId).DistinctBy(o => (o.LineScope, o.MachineId, o.OrderId));
        var allOrders = orders.Values.OrderBy(o => o.Start).ThenBy(o => o.MachineId, StringComparer.Ordinal).Concat(running).ToArray();
        return new ReplayResult(new ReplayOutput(signals, ordered, final, errors.Count, allOrders), errors);
    }

    private static void Collect(
        LineEngine engine, List<EngineEvent> events, Dictionary<(string, string), ShiftRecord> shifts,
        Dictionary<(bool, string, string, DateTimeOffset), OrderRecord> orders)
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

            if (e is OrderEvent { Change: OrderChange.Completed or OrderChange.Revised, Record: var order })
            {
                orders[(order.LineScope, order.MachineId, order.OrderId, order.Start)] = order;
            }
        }
    }
}
