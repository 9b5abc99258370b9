using EdgeOps.Contract.Sparkplug;

namespace EdgeOps.Publishing.Sparkplug;

/// <summary>What a birth declares about one metric: name, data type, engineering unit and further properties.</summary>
public sealed record MetricDefinition(string Name, SparkplugDataType Type, string? Unit = null, IReadOnlyList<SparkplugProperty>? Properties = null);

/// <summary>
/// The metrics of one device (or of the edge node itself): their definitions and aliases, current values, and which
/// changed since the last birth or data message. Not thread-safe: the <see cref="SparkplugModel"/>'s lock guards it.
/// </summary>
internal sealed class MetricSet
{
    private readonly SparkplugValue[] _values;
    private readonly bool[] _null;
    private readonly bool[] _changed;
    private readonly ulong[] _timestamps;
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, int> _byAlias = [];
    private int _changedCount;

    public MetricSet(IReadOnlyList<MetricDefinition> definitions, IReadOnlyList<ulong?> aliases)
    {
        Definitions = definitions;
        Aliases = aliases;
        _values = new SparkplugValue[definitions.Count];
        _null = new bool[definitions.Count];
        _changed = new bool[definitions.Count];
        _timestamps = new ulong[definitions.Count];
        for (var i = 0; i < definitions.Count; i++)
        {
            if (!_byName.TryAdd(definitions[i].Name, i))
            {
                throw new InvalidOperationException($"Sparkplug metric '{definitions[i].Name}' is defined twice.");
            }

            _null[i] = true;
            if (aliases[i] is { } alias)
            {
                _byAlias[alias] = i;
            }
        }
    }

    public IReadOnlyList<MetricDefinition> Definitions { get; }

    public IReadOnlyList<ulong?> Aliases { get; }

    public bool AnyChanged => _changedCount > 0;

    public int IndexOf(string name) => _byName.GetValueOrDefault(name, -1);

    public int IndexOfAlias(ulong alias) => _byAlias.GetValueOrDefault(alias, -1);

    /// <summary>A value the birth declares from the start (node properties, writable metrics): not a change to report.</summary>
    public void Initialise(int index, SparkplugValue value)
    {
        _values[index] = value;
        _null[index] = false;
    }

    /// <summary>Sets a value; marks it changed when it differs from the current one.</summary>
    public void Set(int index, SparkplugValue value, bool isNull, ulong timestamp)
    {
        if (_null[index] == isNull && (isNull || _values[index].Equals(value)))
        {
            return;
        }

        _values[index] = isNull ? default : value;
        _null[index] = isNull;
        _timestamps[index] = timestamp;
        if (!_changed[index])
        {
            _changed[index] = true;
            _changedCount++;
        }
    }

    /// <summary>Marks a metric changed even when its value did not change: every DCMD is answered, the same answer twice too.</summary>
    public void MarkChanged(int index, ulong timestamp)
    {
        _timestamps[index] = timestamp;
        if (!_changed[index])
        {
            _changed[index] = true;
            _changedCount++;
        }
    }

    /// <summary>Every metric with name, alias, data type, properties and current value; clears the change marks.</summary>
    public void Birth(List<SparkplugMetric> into, ulong now)
    {
        for (var i = 0; i < _values.Length; i++)
        {
            var definition = Definitions[i];
            into.Add(new SparkplugMetric
            {
                Name = definition.Name,
                Alias = Aliases[i],
                Timestamp = _timestamps[i] == 0 ? now : _timestamps[i],
                DataType = definition.Type,
                IsNull = _null[i],
                Value = _values[i],
                Properties = Properties(definition),
            });
            _changed[i] = false;
        }

        _changedCount = 0;
    }

    /// <summary>The changed metrics by alias, data type and value; clears the change marks.</summary>
    public void TakeChanges(List<SparkplugMetric> into, bool historical)
    {
        for (var i = 0; i < _values.Length && _changedCount > 0; i++)
        {
            if (!_changed[i])
            {
                continue;
            }

            _changed[i] = false;
            _changedCount--;
            into.Add(new SparkplugMetric
            {
                Name = Aliases[i] is null ? Definitions[i].Name : null,
                Alias = Aliases[i],
                Timestamp = _timestamps[i],
                // Repeated in data messages (the specification makes it optional there): Eclipse Tahu's decoders read the
                // value by it, so a host built on them needs it.
                DataType = Definitions[i].Type,
                IsHistorical = historical,
                IsNull = _null[i],
                Value = _values[i],
            });
        }
    }

    private static List<SparkplugProperty>? Properties(MetricDefinition definition)
    {
        if (definition.Unit is null && definition.Properties is null)
        {
            return null;
        }

        var properties = new List<SparkplugProperty>();
        if (definition.Unit is { } unit)
        {
            // "engUnit": the property name Ignition's MQTT Engine maps onto a tag's engineering unit.
            properties.Add(SparkplugProperty.Text("engUnit", unit));
        }

        if (definition.Properties is { } extra)
        {
            properties.AddRange(extra);
        }

        return properties;
    }
}
