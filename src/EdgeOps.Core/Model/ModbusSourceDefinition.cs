namespace EdgeOps.Core.Model;

/// <summary>Line-level Modbus TCP settings: the devices the line's signals are polled from.</summary>
public sealed record ModbusSourceDefinition
{
    /// <summary>One connection and one poll timer per device; signals name the device they come from.</summary>
    public IReadOnlyList<ModbusDeviceDefinition> Devices { get; init; } = [];
}

/// <summary>One Modbus TCP device (or one unit behind a gateway).</summary>
public sealed record ModbusDeviceDefinition
{
    /// <summary>Name signals refer to (<c>device: comp1</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Host name or IP address.</summary>
    public required string Host { get; init; }

    /// <summary>TCP port. Default 502.</summary>
    public int Port { get; init; } = 502;

    /// <summary>Unit id (slave id) of the device; matters behind a Modbus gateway. Default 1.</summary>
    public byte UnitId { get; init; } = 1;

    /// <summary>How often every signal of the device is read. Default 1 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest register read the device accepts (some take fewer than the protocol's 125). Default 125.</summary>
    public int MaxRegistersPerRead { get; init; } = 125;

    /// <summary>Unused registers a read may span to join two signals into one request; 0 never reads a hole. Default 10.</summary>
    public int MaxGap { get; init; } = 10;

    /// <summary>Byte order inside each register: big (the protocol's) or little. Default big.</summary>
    public string ByteOrder { get; init; } = "big";

    /// <summary>How long a read may wait for its answer. Default 1 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests sent before their answers arrive, where the device allows it. Default 1.</summary>
    public int MaxInFlight { get; init; } = 1;
}
