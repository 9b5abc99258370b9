using System.Globalization;

namespace EdgeOps.Gateway.Hosting.Systemd;

/// <summary>
/// What systemd told the process through its environment: where to send notifications and, when the unit has
/// <c>WatchdogSec=</c>, how often it expects <c>WATCHDOG=1</c>.
/// </summary>
public sealed record SystemdEnvironment(string? NotifySocket, TimeSpan? WatchdogInterval)
{
    /// <summary>Reads <c>NOTIFY_SOCKET</c>, <c>WATCHDOG_USEC</c> and <c>WATCHDOG_PID</c> for the process <paramref name="pid"/>.</summary>
    public static SystemdEnvironment Read(Func<string, string?> getVariable, int pid)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var socket = getVariable("NOTIFY_SOCKET");
        TimeSpan? interval = null;
        if (long.TryParse(getVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0)
        {
            // WATCHDOG_PID names the process the watchdog is meant for; a child that inherited it must not feed it.
            var watchdogPid = getVariable("WATCHDOG_PID");
            if (string.IsNullOrEmpty(watchdogPid)
                || (int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p == pid))
            {
                interval = TimeSpan.FromMicroseconds(usec);
            }
        }

        return new SystemdEnvironment(string.IsNullOrEmpty(socket) ? null : socket, interval);
    }

    /// <summary>The environment of this process.</summary>
    public static SystemdEnvironment FromProcess() => Read(Environment.GetEnvironmentVariable, Environment.ProcessId);
}
