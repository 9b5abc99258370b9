using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Configuration.Validation;
using EdgeOps.Sources.Sensors;

namespace EdgeOps.Gateway.Configuration.Bindings;

/// <summary>
/// Sensor devices sit on a bus the board has, of the kind their chip speaks, at an address the chip can be
/// strapped to, and no two share an address; every sensor binding names a device and channel that exist.
/// </summary>
internal sealed class SensorBusValidator : ILineValidator
{
    public void Validate(LineDefinition line, ConfigContext context)
    {
        var sensors = line.Sources.Sensors;
        var byId = new Dictionary<string, SensorDefinition>(StringComparer.Ordinal);
        var taken = new Dictionary<string, (string Id, string Path)>(StringComparer.Ordinal);
        var board = line.Sources.Gpio?.ResolvedBoard;
        if (sensors.Count > 0 && line.Sources.Gpio is null)
        {
            context.Error("sources.sensors", "sensors need 'sources: gpio: { board: ... }': the board file lists the I2C and SPI buses");
        }

        foreach (var sensor in sensors)
        {
            var path = context.PathOf(sensor);
            if (!byId.TryAdd(sensor.Id, sensor))
            {
                context.Error(ConfigContext.Child(path, "id"), $"sensor id '{sensor.Id}' is used twice");
                continue;
            }

            if (!SensorBus.TryParse(sensor.Bus, out var bus))
            {
                continue;
            }

            var wantsSpi = sensor.Type == SensorType.Adxl345;
            if (bus.IsSpi != wantsSpi)
            {
                context.Error(ConfigContext.Child(path, "bus"), wantsSpi
                    ? $"the ADXL345 binding speaks SPI only: use spiB.C (e.g. spi0.0), not '{sensor.Bus}'"
                    : $"{Named(sensor.Type)} is an I2C device: use i2c-N (e.g. i2c-1), not '{sensor.Bus}'");
                continue;
            }

            if (board is not null && !BoardHas(board, bus))
            {
                var have = bus.IsSpi ? string.Join(", ", board.SpiDevices.Select(s => "spi" + s)) : string.Join(", ", board.I2cBuses.Select(b => $"i2c-{b}"));
                context.Error(ConfigContext.Child(path, "bus"), $"board '{board.Id}' has no bus {bus} (it has: {(have.Length == 0 ? "none" : have)})");
            }

            string key;
            string where;
            string display;
            if (bus.IsSpi)
            {
                key = bus.ToString();
                display = key;
                where = ConfigContext.Child(path, "bus");
                if (sensor.Address is not null)
                {
                    context.Error(ConfigContext.Child(path, "address"), "an SPI device has no address; the chip select in 'bus' picks it");
                }
            }
            else
            {
                var allowed = GpioNames.AddressesOf(sensor.Type);
                var address = sensor.Address ?? allowed[sensor.Type == SensorType.Bme280 ? 1 : 0];
                where = ConfigContext.Child(path, sensor.Address is null ? "bus" : "address");
                if (!allowed.Contains(address))
                {
                    context.Error(where, $"{Named(sensor.Type)} answers at {string.Join(" or ", allowed.Select(GpioNames.Hex))}, not {GpioNames.Hex(address)}");
                    continue;
                }

                key = $"{bus}@{address}";
                display = $"{bus} address {GpioNames.Hex(address)}";
            }

            if (taken.TryGetValue(key, out var other))
            {
                context.Error(where, $"address clash: {display} is already used by sensor '{other.Id}' at {other.Path}");
                continue;
            }

            taken[key] = (sensor.Id, path);
        }

        CheckBindings(line, byId, context);
    }

    private static string Named(SensorType type) => type == SensorType.Bme280 ? "a BME280" : $"an {type.ToString().ToUpperInvariant()}";

    private static bool BoardHas(BoardDefinition board, SensorBus bus) =>
        bus.IsSpi ? board.SpiDevices.Contains($"{bus.Bus}.{bus.ChipSelect}", StringComparer.Ordinal) : board.I2cBuses.Contains(bus.Bus);

    private static void CheckBindings(LineDefinition line, Dictionary<string, SensorDefinition> byId, ConfigContext context)
    {
        foreach (var machine in line.Machines)
        {
            foreach (var signal in machine.Signals)
            {
                if (signal.Source is not SensorBinding binding)
                {
                    continue;
                }

                var path = ConfigContext.Child(context.PathOf(signal), "source.sensor");
                if (signal.Role != SignalRole.Analog)
                {
                    context.Error(ConfigContext.Child(context.PathOf(signal), "role"), $"a sensor reading is an analog signal; '{machine.Id}/{signal.Name}' has role {signal.Role}");
                }

                if (!byId.TryGetValue(binding.Device, out var device))
                {
                    context.Error(ConfigContext.Child(path, "device"), MappingReader.UnknownName("sensor device", binding.Device, byId.Keys));
                    continue;
                }

                var channels = device.Type == SensorType.Ads1115 ? device.Inputs.Keys.Order(StringComparer.Ordinal).ToList() : GpioNames.ChannelsOf(device.Type);
                if (!channels.Contains(binding.Channel, StringComparer.Ordinal))
                {
                    var what = device.Type == SensorType.Ads1115 ? $"channel of '{device.Id}' (an ADS1115 input needs its scaling under inputs)" : $"channel of '{device.Id}'";
                    context.Error(ConfigContext.Child(path, "channel"), MappingReader.UnknownName(what, binding.Channel, channels));
                }
            }
        }
    }
}
