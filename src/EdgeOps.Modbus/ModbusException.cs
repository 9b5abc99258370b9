namespace EdgeOps.Modbus;

/// <summary>Base of every error the Modbus client reports. The message names the endpoint, unit and request.</summary>
public class ModbusException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModbusException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ModbusException()
        : this("Modbus error")
    {
    }

    /// <summary>Creates the exception.</summary>
    public ModbusException(string message)
        : base(message)
    {
    }
}

/// <summary>The server answered with an exception response; <see cref="Code"/> says which.</summary>
public sealed class ModbusServerException : ModbusException
{
    /// <summary>Creates the exception for an exception response.</summary>
    public ModbusServerException(string endpoint, byte unit, byte function, ushort address, int count, ModbusExceptionCode code)
        : base($"{endpoint} unit {unit}: {ModbusFunctions.Describe(function)} at {address} (count {count}) answered exception {(byte)code} {Name(code)}")
    {
        Unit = unit;
        Function = function;
        Address = address;
        Count = count;
        Code = code;
    }

    /// <summary>The unit id the request went to.</summary>
    public byte Unit { get; }

    /// <summary>The request's function code.</summary>
    public byte Function { get; }

    /// <summary>The request's starting address.</summary>
    public ushort Address { get; }

    /// <summary>The request's quantity.</summary>
    public int Count { get; }

    /// <summary>The server's exception code.</summary>
    public ModbusExceptionCode Code { get; }

    /// <summary>The code's name, or "Unknown(n)" for a code the specification does not define.</summary>
    public static string Name(ModbusExceptionCode code) =>
        Enum.IsDefined(code) ? code.ToString() : $"Unknown({(byte)code})";
}

/// <summary>
/// A response that breaks the protocol (wrong length, function code, byte count, transaction or protocol id, unit).
/// Nothing of it was used. A framing error also drops the connection, since the byte stream can no longer be trusted.
/// </summary>
public sealed class ModbusProtocolException : ModbusException
{
    /// <summary>Creates the exception.</summary>
    public ModbusProtocolException(string message)
        : base(message)
    {
    }
}

/// <summary>The server did not answer a request within the request timeout.</summary>
public sealed class ModbusTimeoutException : ModbusException
{
    /// <summary>Creates the exception.</summary>
    public ModbusTimeoutException(string message)
        : base(message)
    {
    }
}

/// <summary>No TCP connection: the connect failed, the link dropped, or the client waits out its reconnect backoff.</summary>
public sealed class ModbusConnectionException : ModbusException
{
    /// <summary>Creates the exception.</summary>
    public ModbusConnectionException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
