using EdgeOps.Core.Model;
using EdgeOps.Gateway.Configuration.Validation;
using EdgeOps.Modbus;

namespace EdgeOps.Gateway.Configuration.Modbus;

/// <summary>
/// Every Modbus binding names a device of <c>sources: modbus: devices</c>, and no two signals of a device read
/// overlapping addresses of one table (bits of one status word may share their register, not their bit).
/// </summary>
internal sealed class ModbusDeviceValidator : ILineValidator
{
    public void Validate(LineDefinition line, ConfigContext context)
    {
        var devices = line.Sources.Modbus?.Devices.Select(d => d.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        var taken = new Dictionary<(string Device, string Table), List<(int Start, int End, int? Bit, string Where)>>();
        foreach (var machine in line.Machines)
        {
            foreach (var signal in machine.Signals)
            {
                if (signal.Source is not ModbusBinding binding)
                {
                    continue;
                }

                var path = ConfigContext.Child(context.PathOf(signal), "source.modbus");
                if (!devices.Contains(binding.Device))
                {
                    context.Error(ConfigContext.Child(path, "device"), devices.Count == 0
                        ? $"device '{binding.Device}' is not defined: add it under sources: modbus: devices"
                        : MappingReader.UnknownName("device", binding.Device, devices));
                    continue;
                }

                if (!ModbusDataTypes.TryParse(binding.Type, out var type))
                {
                    continue;
                }

                var start = binding.Address;
                var end = start + (ModbusTables.TryParse(binding.Table, out var table) && table.IsBits() ? 1 : type.RegisterCount());
                var bit = type == ModbusDataType.Bit ? binding.Bit : null;
                var key = (binding.Device, binding.Table);
                if (!taken.TryGetValue(key, out var ranges))
                {
                    ranges = [];
                    taken[key] = ranges;
                }

                var where = $"{machine.Id}/{signal.Name}";
                foreach (var other in ranges)
                {
                    var overlap = start < other.End && other.Start < end;
                    var sharedWord = bit is not null && other.Bit is not null && bit != other.Bit;
                    if (overlap && !sharedWord)
                    {
                        context.Error(ConfigContext.Child(path, "address"),
                            $"{binding.Table} {start}..{end - 1} of device '{binding.Device}' overlaps {other.Where} ({other.Start}..{other.End - 1}{(other.Bit is { } b ? $", bit {b}" : string.Empty)})");
                        break;
                    }
                }

                ranges.Add((start, end, bit, where));
            }
        }

        foreach (var light in line.Sources.Outputs?.StackLights ?? [])
        {
            if (light.Device is not null && !devices.Contains(light.Device))
            {
                context.Error(ConfigContext.Child(context.PathOf(light), "device"), devices.Count == 0
                    ? $"device '{light.Device}' is not defined: add it under sources: modbus: devices"
                    : MappingReader.UnknownName("device", light.Device, devices));
            }
        }
    }
}
