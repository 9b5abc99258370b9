using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Sources.Modbus;

/// <summary>
/// One Modbus source (one connection) per configured device that at least one signal uses; the sources of a line share
/// one <see cref="PollScheduler"/>, so all devices cost one timer wake per tick.
/// </summary>
public sealed class ModbusSourceFactory(ILoggerFactory loggers) : ISignalSourceFactory
{
    public IEnumerable<ISignalSource> Create(SignalCatalog catalog, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var used = SourceBindings.UsedConnections<ModbusBinding>(catalog, b => b.Device);
        var scheduler = new PollScheduler(clock);
        return (catalog.Line.Sources.Modbus?.Devices ?? [])
            .Where(device => used.Contains(device.Name))
            .Select(device => new ModbusSignalSource(device, catalog, loggers.CreateLogger<ModbusSignalSource>(), clock, scheduler))
            .ToList();
    }
}
