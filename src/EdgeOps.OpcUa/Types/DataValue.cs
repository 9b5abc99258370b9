namespace EdgeOps.OpcUa.Types;

/// <summary>A value with its status and timestamps (Part 4 §7.11). A missing status means Good.</summary>
public sealed record DataValue
{
    /// <summary>A Good value without timestamps.</summary>
    public DataValue(Variant value) => Value = value;

    /// <summary>An empty value.</summary>
    public DataValue()
    {
    }

    /// <summary>The value.</summary>
    public Variant Value { get; init; }
    /// <summary>The status.</summary>
    public StatusCode Status { get; init; }
    /// <summary>When the source (PLC) sampled the value, or null.</summary>
    public DateTime? SourceTimestamp { get; init; }
    /// <summary>10 ps units beyond <see cref="SourceTimestamp"/>.</summary>
    public ushort SourcePicoseconds { get; init; }
    /// <summary>When the server received the value, or null.</summary>
    public DateTime? ServerTimestamp { get; init; }
    /// <summary>10 ps units beyond <see cref="ServerTimestamp"/>.</summary>
    public ushort ServerPicoseconds { get; init; }

    /// <inheritdoc />
    public override string ToString() => Status.IsGood ? Value.ToString() : $"{Value} [{Status}]";
}
