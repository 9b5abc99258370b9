using System.CommandLine;
using System.Globalization;
using EdgeOps.Core.Model;
using EdgeOps.Sources.Sensors;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops sensors read [--config line.yaml]</c>: opens every configured sensor once through its driver and prints
/// one reading per channel, or the error that stops it. Exit code 1 when any sensor fails.
/// </summary>
internal sealed class SensorsReadCommand : CliCommand
{
    private readonly CliOptions _options = new CliOptions()
        .Text("config", "line.yaml", $"the line file (default {GpioCliSupport.DefaultLine})");

    private readonly ISensorBuses _buses;

    public SensorsReadCommand()
        : this(new LinuxSensorBuses())
    {
    }

    internal SensorsReadCommand(ISensorBuses buses)
    {
        _buses = buses;
    }

    public override IReadOnlyList<string> Path { get; } = ["sensors", "read"];

    public override string Description => "one reading per configured sensor";

    protected override void Define(Command command) => _options.AddTo(command);

    protected override async Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var path = _options.Read(parsed).Get("config") ?? GpioCliSupport.DefaultLine;
        if (GpioCliSupport.LoadLine(path, error, "sensors read") is not { } line)
        {
            return 2;
        }

        if (line.Sources.Sensors.Count == 0)
        {
            await error.WriteLineAsync($"edgeops sensors read: {path} configures no sensors (sources: sensors:)").ConfigureAwait(false);
            return 2;
        }

        var failed = 0;
        foreach (var sensor in line.Sources.Sensors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var where = sensor.Type == SensorType.Adxl345 ? sensor.Bus : string.Create(CultureInfo.InvariantCulture, $"{sensor.Bus} @0x{SensorDevices.AddressOf(sensor):X2}");
            try
            {
                using var device = SensorDevices.Open(sensor, _buses);
                var readings = new SensorReading[device.Channels.Count];
                device.Read(readings);
                var values = device.Channels.Select((c, i) => Format(c, readings[i], UnitOf(sensor, c)));
                await output.WriteLineAsync($"{sensor.Id} ({sensor.Type.ToString().ToLowerInvariant()} on {where}): {string.Join(", ", values)}").ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException or InvalidOperationException or PlatformNotSupportedException)
            {
                failed++;
                await error.WriteLineAsync($"{sensor.Id} ({sensor.Type.ToString().ToLowerInvariant()} on {where}): ERROR {e.Message}").ConfigureAwait(false);
            }
        }

        return failed == 0 ? 0 : 1;
    }

    private static string Format(string channel, SensorReading reading, string unit)
    {
        var value = reading.Value.ToString("0.###", CultureInfo.InvariantCulture);
        var quality = reading.Quality == Core.Signals.SignalQuality.Good ? string.Empty : $" ({reading.Quality})";
        return $"{channel}={value} {unit}".TrimEnd() + quality;
    }

    private static string UnitOf(SensorDefinition sensor, string channel) => (sensor.Type, channel) switch
    {
        (SensorType.Adxl345, _) => "m/s²",
        (SensorType.Bme280, "temperature") => "°C",
        (SensorType.Bme280, "pressure") => "hPa",
        (SensorType.Bme280, "humidity") => "%RH",
        _ => string.Empty,
    };
}
