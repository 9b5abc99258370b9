using System.Device.Gpio;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Sources.Sensors;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Sources.Gpio;

/// <summary>
/// The GPIO source (when a signal is bound to a pin of the line's board) and the sensor source (when I2C/SPI sensors
/// are configured). <paramref name="openController"/> and <paramref name="buses"/> replace the hardware in tests.
/// </summary>
public sealed class GpioSourceFactory(
    ILoggerFactory loggers,
    Func<GpioDefinition, BoardDefinition, GpioController>? openController = null,
    ISensorBuses? buses = null) : ISignalSourceFactory
{
    public IEnumerable<ISignalSource> Create(SignalCatalog catalog, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(clock);
        var line = catalog.Line;
        var sources = new List<ISignalSource>();
        var inputs = GpioSource.FromCatalog(catalog);
        if (inputs.Count > 0 && line.Sources.Gpio is { ResolvedBoard: { } board } gpio)
        {
            var open = openController ?? ((g, b) => GpioHardware.Open(g, b, loggers.CreateLogger("EdgeOps.Gpio")));
            sources.Add(new GpioSource(
                inputs,
                () => open(gpio, board),
                GpioHardware.Describe(GpioHardware.ChipFor(gpio, board)),
                clock,
                loggers.CreateLogger<GpioSource>(),
                HeartbeatFor(line)));
        }

        if (line.Sources.Sensors.Count > 0)
        {
            sources.Add(new SensorSource(catalog, buses ?? new LinuxSensorBuses(), clock, loggers.CreateLogger<SensorSource>()));
        }

        return sources;
    }

    /// <summary>A third of the shortest stale time, so a still machine refreshes well before it would look Offline.</summary>
    public static TimeSpan HeartbeatFor(LineDefinition line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var shortest = line.Machines.Select(m => m.StaleAfter).DefaultIfEmpty(TimeSpan.FromSeconds(30)).Min();
        var beat = shortest / 3;
        return beat < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : beat;
    }
}
