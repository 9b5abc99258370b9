using System.Diagnostics.Metrics;
using System.Globalization;

namespace EdgeOps.TestSupport.Metrics;

/// <summary>
/// Reads the instruments of the meters a test's <see cref="IMeterFactory"/> made, without an exporter: observable
/// instruments when <see cref="Collect"/> asks, counters as running sums. Series are keyed
/// <c>instrument{tag=value,...}</c>, tags sorted by name, e.g. <c>edgeops.gpio.pulses{signal=lathe/parts}</c>.
/// </summary>
public sealed class InstrumentReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

    public InstrumentReader(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Every series after asking the observable instruments for their values now.</summary>
    public IReadOnlyDictionary<string, double> Collect()
    {
        _listener.RecordObservableInstruments();
        lock (_values)
        {
            return new Dictionary<string, double>(_values, StringComparer.Ordinal);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct, IConvertible
    {
        var pairs = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            pairs.Add($"{tag.Key}={Convert.ToString(tag.Value, CultureInfo.InvariantCulture)}");
        }

        pairs.Sort(StringComparer.Ordinal);
        var key = instrument.Name + (pairs.Count == 0 ? "" : "{" + string.Join(',', pairs) + "}");
        var number = value.ToDouble(CultureInfo.InvariantCulture);
        lock (_values)
        {
            // Observable instruments report their current value (a running total for observable counters); others add.
            _values[key] = instrument.IsObservable ? number : _values.GetValueOrDefault(key) + number;
        }
    }
}
