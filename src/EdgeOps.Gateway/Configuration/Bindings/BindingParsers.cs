namespace EdgeOps.Gateway.Configuration.Bindings;

/// <summary>Every source kind a signal can be bound to. Add one line per kind.</summary>
internal static class BindingParsers
{
    public static IReadOnlyList<IBindingParser> All { get; } =
    [
        new SimulatorBindingParser(),
        new GpioBindingParser(),
        new SensorBindingParser(),
        new OpcUa.OpcUaBindingParser(),
        new Modbus.ModbusBindingParser(),
    ];
}
