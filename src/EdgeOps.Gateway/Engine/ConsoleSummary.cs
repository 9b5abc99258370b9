using System.Globalization;
using System.Text;
using EdgeOps.Core.Engine;
using EdgeOps.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeOps.Gateway.Engine;

/// <summary>The compact live summary the README's run command prints: state, counts and OEE per machine.</summary>
public sealed class ConsoleSummary : BackgroundService
{
    private readonly EngineView _view;
    private readonly TimeSpan _interval;
    private readonly TextWriter _output;

    private readonly TimeZoneInfo _zone;

    public ConsoleSummary(EngineView view, EngineRuntime runtime, IOptions<GatewayOptions> options)
        : this(view, runtime, options, Console.Out)
    {
    }

    internal ConsoleSummary(EngineView view, EngineRuntime runtime, IOptions<GatewayOptions> options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runtime);
        _view = view;
        _zone = runtime.Engine.Calendar.TimeZone;
        _interval = options.Value.ConsoleSummaryInterval;
        _output = output;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(_interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (_view.Line is { } line)
            {
                await _output.WriteAsync(Format(line, _view.SignalsProcessed, _zone)).ConfigureAwait(false);
            }
        }
    }

    internal static string Format(LineSnapshot line, long signals, TimeZoneInfo zone)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var shift = line.Shift is { } s
            ? string.Create(c, $"shift {s.Name} ({s.TimeLeft:hh\\:mm} left{(s.InBreak ? ", break" : "")})")
            : "no shift";
        text.AppendLine(c, $"── {line.Site}/{line.Area}/{line.Line} · {TimeZoneInfo.ConvertTime(line.Timestamp, zone):yyyy-MM-dd HH:mm:ss} · {shift} · output {line.LineOutput} · {signals} signals");
        foreach (var m in line.Machines)
        {
            var k = m.Kpi;
            text.AppendLine(c,
                $"   {m.MachineId,-10} {m.State,-11} {Reason(m),-18} good {m.ShiftCounts.Good,6}  reject {m.ShiftCounts.Reject,4}  " +
                $"OEE {Pct(k.Oee)}  A {Pct(k.Availability)}  P {Pct(k.Performance)}  Q {Pct(k.Quality)}{(k.Stale ? "  STALE" : "")}");
        }

        return text.ToString();
    }

    private static string Reason(MachineSnapshot m) =>
        m.State == Core.Model.StateCategory.Running ? string.Empty : m.ReasonLabel.Length > 18 ? m.ReasonLabel[..18] : m.ReasonLabel;

    private static string Pct(double? value) =>
        value is { } v ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture).PadLeft(5) + "%" : "    – ";
}
