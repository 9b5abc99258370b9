namespace EdgeOps.Contract.Sparkplug;

/// <summary>
/// One Sparkplug B metric: in a birth with its name, alias, data type and properties; in a data message with its alias
/// (the name only where no alias was assigned), data type and value.
/// </summary>
public sealed record SparkplugMetric
{
    /// <summary>The metric's name (folders separated by '/'); null in data messages that use the alias.</summary>
    public string? Name { get; init; }

    /// <summary>The alias the birth assigned; null when none.</summary>
    public ulong? Alias { get; init; }

    /// <summary>Milliseconds since the Unix epoch (UTC) when the value was taken; null when not given.</summary>
    public ulong? Timestamp { get; init; }

    /// <summary>The data type (births always say it).</summary>
    public SparkplugDataType DataType { get; init; }

    /// <summary>A value stored and forwarded: not the metric's current value.</summary>
    public bool IsHistorical { get; init; }

    /// <summary>Not to be historized by the host.</summary>
    public bool IsTransient { get; init; }

    /// <summary>The value is null (e.g. a KPI not yet computable).</summary>
    public bool IsNull { get; init; }

    /// <summary>The value (<see cref="SparkplugValueCase.None"/> when <see cref="IsNull"/>).</summary>
    public SparkplugValue Value { get; init; }

    /// <summary>Properties (engineering unit, limits) sent in births; null when none.</summary>
    public IReadOnlyList<SparkplugProperty>? Properties { get; init; }
}

/// <summary>One entry of a metric's property set: a key and a typed value (e.g. <c>engUnit</c> = "units/h").</summary>
public sealed record SparkplugProperty(string Key, SparkplugDataType Type, SparkplugValue Value)
{
    /// <summary>A String property.</summary>
    public static SparkplugProperty Text(string key, string value) => new(key, SparkplugDataType.String, SparkplugValue.String(value));

    /// <summary>A Double property.</summary>
    public static SparkplugProperty Number(string key, double value) => new(key, SparkplugDataType.Double, SparkplugValue.Double(value));
}

/// <summary>A Sparkplug B payload: timestamp, metrics and the node's message sequence number.</summary>
public sealed record SparkplugPayload
{
    /// <summary>Milliseconds since the Unix epoch (UTC) when the message was made.</summary>
    public ulong? Timestamp { get; init; }

    /// <summary>The metrics.</summary>
    public IReadOnlyList<SparkplugMetric> Metrics { get; init; } = [];

    /// <summary>0-255, one more than the node's previous message; null in NDEATH (and in a payload the node completes at send).</summary>
    public ulong? Seq { get; init; }

    /// <summary>The optional <c>uuid</c>.</summary>
    public string? Uuid { get; init; }

    /// <summary>The optional <c>body</c>.</summary>
    public byte[]? Body { get; init; }
}
