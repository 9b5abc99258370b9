namespace EdgeOps.Modbus;

/// <summary>Exception codes a server answers with (Modbus Application Protocol V1.1b3, §7), named as plant engineers know them.</summary>
public enum ModbusExceptionCode : byte
{
    /// <summary>The server does not support the function code.</summary>
    IllegalFunction = 1,

    /// <summary>The address range is not (all) mapped on the server.</summary>
    IllegalDataAddress = 2,

    /// <summary>A value in the request is not allowed (e.g. a quantity out of range).</summary>
    IllegalDataValue = 3,

    /// <summary>An unrecoverable error while the server performed the action.</summary>
    SlaveDeviceFailure = 4,

    /// <summary>Accepted, but it takes long: poll again later.</summary>
    Acknowledge = 5,

    /// <summary>The server is busy with a long command: retry later.</summary>
    SlaveDeviceBusy = 6,

    /// <summary>A parity error in the server's extended memory.</summary>
    MemoryParityError = 8,

    /// <summary>A gateway could not route the request (misconfigured or overloaded gateway).</summary>
    GatewayPathUnavailable = 10,

    /// <summary>A gateway got no answer from the target device (unit id) behind it.</summary>
    GatewayTargetDeviceFailedToRespond = 11,
}
