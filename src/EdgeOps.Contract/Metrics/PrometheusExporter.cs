using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace EdgeOps.Contract.Metrics;

/// <summary>
/// Prometheus text exposition of every instrument of the "EdgeOps" meter, through a <see cref="MeterListener"/>
/// (no OpenTelemetry package needed). Counters are summed per tag set, gauges keep their last value,
/// histograms are exposed as a summary's <c>_sum</c> and <c>_count</c>.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    public const string MeterName = "EdgeOps";
    private readonly MeterListener _listener = new();
    private readonly object _gate = new();
    private readonly Dictionary<Instrument, Series> _series = [];

    public PrometheusExporter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Each area has its own meter, EdgeOps.<Area>.
            if (instrument.Meter.Name == MeterName || instrument.Meter.Name.StartsWith(MeterName + ".", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Collects the observable instruments and renders everything in Prometheus text format 0.0.4.</summary>
    public string Render()
    {
        lock (_gate)
        {
            // Observable instruments report only when asked; a fresh collection replaces their last values.
            foreach (var s in _series.Where(s => IsObservable(s.Key)))
            {
                s.Value.Values.Clear();
            }
        }

        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        lock (_gate)
        {
            foreach (var (instrument, series) in _series.OrderBy(s => s.Key.Name, StringComparer.Ordinal))
            {
                var name = Sanitize(instrument.Name);
                var kind = Kind(instrument);
                if (kind == "counter")
                {
                    name += "_total";
                }

                if (!string.IsNullOrEmpty(instrument.Description))
                {
                    text.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description.Replace('\n', ' ')).Append('\n');
                }

                text.Append("# TYPE ").Append(name).Append(' ').Append(kind).Append('\n');
                foreach (var (labels, value) in series.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
                {
                    if (kind == "summary")
                    {
                        text.Append(name).Append("_sum").Append(labels).Append(' ').Append(Format(value.Sum)).Append('\n');
                        text.Append(name).Append("_count").Append(labels).Append(' ').Append(Format(value.Count)).Append('\n');
                    }
                    else
                    {
                        text.Append(name).Append(labels).Append(' ').Append(Format(value.Sum)).Append('\n');
                    }
                }
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        var v = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        var labels = Labels(tags);
        lock (_gate)
        {
            if (!_series.TryGetValue(instrument, out var series))
            {
                series = new Series();
                _series[instrument] = series;
            }

            series.Values.TryGetValue(labels, out var current);
            series.Values[labels] = Kind(instrument) switch
            {
                "gauge" when instrument is not UpDownCounter<T> => new Point(v, 1),
                // Observable counters report their running total, not an increment.
                _ when IsObservable(instrument) => new Point(current.Sum + v, 1),
                _ => new Point(current.Sum + v, current.Count + 1),
            };
        }
    }

    private static bool IsObservable(Instrument instrument) => instrument.IsObservable;

    private static string Kind(Instrument instrument)
    {
        var type = instrument.GetType();
        var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (generic == typeof(Counter<>) || generic == typeof(ObservableCounter<>))
        {
            return "counter";
        }

        if (generic == typeof(Histogram<>))
        {
            return "summary";
        }

        return "gauge";
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var pairs = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            var value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
            value = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
                .Replace("\n", "\\n", StringComparison.Ordinal);
            pairs.Add($"{Sanitize(tag.Key)}=\"{value}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return "{" + string.Join(',', pairs) + "}";
    }

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] == '_' || chars[i] == ':'))
            {
                chars[i] = '_';
            }
        }

        return char.IsAsciiDigit(chars[0]) ? "_" + new string(chars) : new string(chars);
    }

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class Series
    {
        public Dictionary<string, Point> Values { get; } = new(StringComparer.Ordinal);
    }

    private readonly record struct Point(double Sum, double Count);
}
