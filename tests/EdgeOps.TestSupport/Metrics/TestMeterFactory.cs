using System.Diagnostics.Metrics;

namespace EdgeOps.TestSupport.Metrics;

/// <summary>
/// An <see cref="IMeterFactory"/> for tests that build a component without a host: what a host's factory does (meters
/// scoped to it, one per name, disposed with it) and no more.
/// </summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly Dictionary<string, Meter> _meters = new(StringComparer.Ordinal);

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (_meters)
        {
            if (!_meters.TryGetValue(options.Name, out var meter))
            {
                meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
                _meters[options.Name] = meter;
            }

            return meter;
        }
    }

    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var meter in _meters.Values)
            {
                meter.Dispose();
            }

            _meters.Clear();
        }
    }
}
