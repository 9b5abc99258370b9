using System.Device.Gpio;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Model;
using EdgeOps.Gateway.Configuration.Bindings;
using EdgeOps.Gateway.Engine;
using EdgeOps.Modbus;
using EdgeOps.Sources.Outputs;

namespace EdgeOps.Gateway.Configuration.Modbus;

/// <summary>
/// Stack lights and andon lamps on Modbus coils (<c>stackLights: [{ ..., device: plc1, lamps: { green: 100, ... } }]</c>):
/// per device, one stack-light service whose controller's driver writes coils, so the lamp logic, lamp test and safe
/// off are the GPIO lights' own.
/// </summary>
internal static class ModbusOutputsWiring
{
    public static IServiceCollection AddModbusOutputs(this IServiceCollection services, LineDefinition line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var devices = line.Sources.Modbus?.Devices.ToDictionary(d => d.Name, StringComparer.Ordinal) ?? [];
        foreach (var group in (line.Sources.Outputs?.StackLights ?? []).Where(l => l.Device is not null).GroupBy(l => l.Device!, StringComparer.Ordinal))
        {
            if (!devices.TryGetValue(group.Key, out var device))
            {
                continue; // Reported by the validator; a line with errors does not start.
            }

            var lights = group.ToList();
            GpioStackLightService Create(IServiceProvider sp)
            {
                var loggers = sp.GetRequiredService<ILoggerFactory>();
                return new GpioStackLightService(lights, () => new GpioController(new ModbusCoilDriver(
                    new ModbusClientOptions { Host = device.Host, Port = device.Port, RequestTimeout = device.Timeout },
                    device.UnitId, device.Name, loggers.CreateLogger<ModbusCoilDriver>())), sp.GetRequiredService<TimeProvider>(), loggers);
            }

            // One instance per device, registered both as the engine's sink and as the hosted service that runs it.
            var key = "modbus-lights:" + group.Key;
            services.AddKeyedSingleton(key, (sp, _) => Create(sp));
            services.AddSingleton<IEngineSink>(sp => sp.GetRequiredKeyedService<GpioStackLightService>(key));
            services.AddHostedService(sp => sp.GetRequiredKeyedService<GpioStackLightService>(key));
        }

        return services;
    }
}
