namespace EdgeOps.Gateway.Configuration.Validation;

/// <summary>Every whole-line rule, run after parsing. Add one line per rule class.</summary>
internal static class LineValidators
{
    public static IReadOnlyList<ILineValidator> All { get; } =
    [
        new MachineRulesValidator(),
        new ProductRulesValidator(),
        new ReasonCodeValidator(),
        new StateInputValidator(),
        new ShiftCalendarValidator(),
        new SimulatorValidator(),
        new Bindings.GpioBoardValidator(),
        new Bindings.SensorBusValidator(),
        new OpcUa.OpcUaEndpointValidator(),
        new Modbus.ModbusDeviceValidator(),
    ];
}
