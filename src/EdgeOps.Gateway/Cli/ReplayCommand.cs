using System.CommandLine;
using System.Text.Json;
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
internal sealed class ReplayCommand : CliCommand
{
    private readonly Argument<string> _file = new("file") { Description = "a recording made with --record" };

    private readonly CliOptions _options = new CliOptions()
        .Text("config", "line.yaml", "the line file to replay it against (required)")
        .Text("until", "time", "stop at this time (ISO 8601), e.g. to see a shift half-way");

    /// <summary>Engine time advances on this grid between signals, as the live loop's ticks do.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    public override IReadOnlyList<string> Path { get; } = ["replay"];

    public override string Description => "run a recording through the engine, print shift records and KPIs as JSON";

    protected override void Define(Command command)
    {
        command.Add(_file);
        _options.AddTo(command);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var file = parsed.GetRequiredValue(_file);
        var options = _options.Read(parsed);
        if (options.Get("config") is not { } config)
        {
            await error.WriteLineAsync("edgeops replay: --config <line.yaml> is required. Run 'edgeops replay --help' for usage.").ConfigureAwait(false);
            return CliInvocation.UsageError;
        }

        DateTimeOffset? until = null;
        if (options.Get("until") is { } untilText)
        {
            if (!DateTimeOffset.TryParse(untilText, System.Globalization.CultureInfo.InvariantCulture, out var u))
            {
                await error.WriteLineAsync($"edgeops replay: --until '{untilText}' is not a time (ISO 8601, e.g. 2026-03-02T14:00:00Z)").ConfigureAwait(false);
                return CliInvocation.UsageError;
            }

            until = u;
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
