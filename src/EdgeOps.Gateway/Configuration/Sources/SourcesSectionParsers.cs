namespace EdgeOps.Gateway.Configuration.Sources;

/// <summary>Every section allowed under <c>sources:</c>. Add one line per source kind.</summary>
internal static class SourcesSectionParsers
{
    public static IReadOnlyList<ISourcesSectionParser> All { get; } =
    [
        new SimulatorSectionParser(),
        new Bindings.GpioSectionParser(),
        new Bindings.SensorSectionParser(),
        new Bindings.GpioOutputsSectionParser(),
        new OpcUa.OpcUaSectionParser(),
        new Modbus.ModbusSectionParser(),
    ];
}
