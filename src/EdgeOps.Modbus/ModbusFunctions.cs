namespace EdgeOps.Modbus;

/// <summary>The public function codes this client speaks (Modbus Application Protocol V1.1b3, §6).</summary>
public static class ModbusFunctions
{
    /// <summary>Read Coils.</summary>
    public const byte ReadCoils = 1;

    /// <summary>Read Discrete Inputs.</summary>
    public const byte ReadDiscreteInputs = 2;

    /// <summary>Read Holding Registers.</summary>
    public const byte ReadHoldingRegisters = 3;

    /// <summary>Read Input Registers.</summary>
    public const byte ReadInputRegisters = 4;

    /// <summary>Write Single Coil.</summary>
    public const byte WriteSingleCoil = 5;

    /// <summary>Write Single Register.</summary>
    public const byte WriteSingleRegister = 6;

    /// <summary>Write Multiple Coils.</summary>
    public const byte WriteMultipleCoils = 15;

    /// <summary>Write Multiple Registers.</summary>
    public const byte WriteMultipleRegisters = 16;

    /// <summary>A readable name for logs and error messages ("read holding registers").</summary>
    public static string Describe(byte function) => function switch
    {
        ReadCoils => "read coils",
        ReadDiscreteInputs => "read discrete inputs",
        ReadHoldingRegisters => "read holding registers",
        ReadInputRegisters => "read input registers",
        WriteSingleCoil => "write single coil",
        WriteSingleRegister => "write single register",
        WriteMultipleCoils => "write multiple coils",
        WriteMultipleRegisters => "write multiple registers",
        _ => "function " + function.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
