using System.Device.Gpio;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Configuration;
using EdgeOps.Sources.Gpio;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gpio;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeOps.Gateway.Tests.Gpio;

/// <summary>
/// The shipped retrofit line (firmware-config/lines/gpio-retrofit.yaml) with its GPIO and sensor sources made by the
/// host wiring over the virtual driver and emulated chips, every input pin idle (high: opto inputs with pull-ups).
/// </summary>
internal sealed class RetrofitRig
{
    /// <summary>The input pins the line uses: parts, rejects, running, fault, starved, three reason buttons.</summary>
    public static readonly int[] InputPins = [17, 27, 22, 23, 24, 16, 20, 21];

    public RetrofitRig(DateTimeOffset start)
    {
        var result = LineConfigLoader.Load(RepoPaths.File("firmware-config", "lines", "gpio-retrofit.yaml"));
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Catalog = new SignalCatalog(result.Line!);
        Clock = new FakeTimeProvider(start);
        Driver = new VirtualGpioDriver(Clock);
        foreach (var pin in InputPins)
        {
            Driver.SetInitialLevel(pin, PinValue.High);
        }

        Sources = [.. new GpioSourceFactory(NullLoggerFactory.Instance, (_, _) => new GpioController(Driver), new EmulatedSensorBuses())
            .Create(Catalog, Clock)];
    }

    public SignalCatalog Catalog { get; }

    public FakeTimeProvider Clock { get; }

    public VirtualGpioDriver Driver { get; }

    public IReadOnlyList<ISignalSource> Sources { get; }
}
