using Microsoft.Extensions.Logging;

namespace EdgeOps.Sources.Modbus;

/// <summary>Log messages of the Modbus source and the Modbus stack lights (EventIds 3300–3349).</summary>
internal static partial class ModbusSourceLog
{
    [LoggerMessage(EventId = 3300, Level = LogLevel.Information, Message = "Modbus {Device} ({Endpoint} unit {Unit}): polling {Signals} signals in {Reads} reads every {Interval}")]
    public static partial void Polling(ILogger logger, string device, string endpoint, byte unit, int signals, int reads, TimeSpan interval);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "Modbus {Device}: {Reason}; its signals are stale until it answers")]
    public static partial void DeviceLost(ILogger logger, string device, string reason);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Information, Message = "Modbus {Device}: answering again")]
    public static partial void DeviceBack(ILogger logger, string device);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Error, Message = "Modbus {Device}: read of {Table} {Address}..{Last} failed ({Reason}); signals {Signals} are stale until it succeeds")]
    public static partial void ReadFailed(ILogger logger, string device, string table, int address, int last, string reason, string signals);

    [LoggerMessage(EventId = 3304, Level = LogLevel.Error, Message = "Modbus {Device}: signal {Signal} has an unusable binding: {Reason}")]
    public static partial void BadBinding(ILogger logger, string device, string signal, string reason);

    [LoggerMessage(EventId = 3305, Level = LogLevel.Warning, Message = "Modbus {Device}: the read of {Table} {Address}..{Last} spans addresses the device does not map (IllegalDataAddress); reading its signals without the holes from now on (set maxGap: 0 to start that way)")]
    public static partial void SplitRead(ILogger logger, string device, string table, int address, int last);

    [LoggerMessage(EventId = 3310, Level = LogLevel.Warning, Message = "Modbus stack light {Light}: writing coils failed ({Reason}); retrying")]
    public static partial void LampWriteFailed(ILogger logger, string light, string reason);
}
