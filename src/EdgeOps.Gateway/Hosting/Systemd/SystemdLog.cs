using Microsoft.Extensions.Logging;

namespace EdgeOps.Gateway.Hosting.Systemd;

/// <summary>Log messages of the systemd integration (EventIds 9000-9049).</summary>
internal static partial class SystemdLog
{
    [LoggerMessage(EventId = 9000, Level = LogLevel.Information,
        Message = "Told systemd READY=1 on {Socket}; watchdog interval {WatchdogSeconds} s (0: none)")]
    public static partial void Ready(ILogger logger, string socket, double watchdogSeconds);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning,
        Message = "No IEngineHeartbeat registered: the systemd watchdog only proves the host is scheduling work, not that the engine loop runs")]
    public static partial void NoHeartbeat(ILogger logger);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Error,
        Message = "Engine loop silent for {SilentSeconds:0.0} s (watchdog interval {WatchdogSeconds} s): no longer feeding the systemd watchdog, systemd will restart the service")]
    public static partial void EngineSilent(ILogger logger, double silentSeconds, double watchdogSeconds);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "Engine loop beats again: feeding the systemd watchdog")]
    public static partial void EngineRecovered(ILogger logger);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Warning, Message = "systemd notification '{State}' to {Socket} failed")]
    public static partial void SendFailed(ILogger logger, string socket, string state);

    [LoggerMessage(EventId = 9005, Level = LogLevel.Error, Message = "Watchdog pass failed; trying again next pass")]
    public static partial void PassFailed(ILogger logger, Exception exception);
}
