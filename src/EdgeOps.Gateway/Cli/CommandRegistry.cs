namespace EdgeOps.Gateway.Cli;

/// <summary>Every CLI verb. Add one line per verb.</summary>
internal static class CommandRegistry
{
    public static IReadOnlyList<CliCommand> All { get; } =
    [
        new RunCommand(),
        new HelpCommand(),
        new GpioWatchCommand(),
        new GpioLampTestCommand(),
        new SensorsReadCommand(),
        new OpcUaBrowseCommand(),
        new OpcUaReadCommand(),
        new OpcUaScaffoldCommand(),
        new OpcUaTrustCommand(),
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
        new BrokerHashPasswordCommand(),
    ];
}
