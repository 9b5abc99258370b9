using EdgeOps.Gateway.Engine;
using EdgeOps.Gateway.Hosting.Systemd;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Wiring of the systemd integration.</summary>
public static class SystemdServiceCollectionExtensions
{
    /// <summary>
    /// Adds sd_notify readiness, status, stopping and a watchdog fed only while the engine loop
    /// (<see cref="IEngineHeartbeat"/>) beats. Harmless outside systemd: without <c>NOTIFY_SOCKET</c> it does nothing.
    /// Under journald (<c>JOURNAL_STREAM</c> set) console logs get syslog priority prefixes, so
    /// <c>journalctl -p warning</c> works. Call after the gateway's services are registered: the
    /// <see cref="EngineLoop"/> becomes the heartbeat.
    /// </summary>
    /// <remarks>
    /// Microsoft.Extensions.Hosting.Systemd's <c>UseSystemd()</c> is deliberately not used: it only activates when
    /// the parent process is systemd (so the fake-NOTIFY_SOCKET test and containers with a notify proxy get nothing),
    /// it has no watchdog, and next to this notifier it would send a second READY=1 and STOPPING=1.
    /// </remarks>
    public static IServiceCollection AddSystemdIntegration(this IServiceCollection services, SystemdEnvironment? environment = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var systemd = environment ?? SystemdEnvironment.FromProcess();
        services.AddSingleton(systemd);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<SystemdNotifier>();
        // The gateway's engine loop is the heartbeat unless something else was registered as one.
        if (services.Any(d => d.ServiceType == typeof(EngineLoop)))
        {
            services.TryAddSingleton<IEngineHeartbeat>(sp => new EngineLoopHeartbeat(sp.GetRequiredService<EngineLoop>()));
        }

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM")))
        {
            services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = ConsoleFormatterNames.Systemd);
        }

        return services;
    }
}
