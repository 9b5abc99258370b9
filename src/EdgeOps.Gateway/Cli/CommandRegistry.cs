namespace EdgeOps.Gateway.Cli;

/// <summary>Every CLI verb. Add one line per verb.</summary>
internal static class CommandRegistry
{
    public static IReadOnlyList<ICommand> All { get; } =
    [
        new HelpCommand(),
        new GpioWatchCommand(),
        new GpioLampTestCommand(),
        new SensorsReadCommand(),
        new OpcUaBrowseCommand(),
        new OpcUaReadCommand(),
        new OpcUaScaffoldCommand(),
        new OpcUaWatchCommand(),
        new ModbusReadCommand(),
        new ModbusWatchCommand(),
        new ModbusScanCommand(),
        new DoctorCommand(),
        new ReplayCommand(),
        new ValidateCommand(),
        new MqttTailCommand(),
        new MqttSelftestCommand(),
        new MaintenanceResetCommand(),
    ];
}
