using EdgeOps.Gateway.Engine;

namespace EdgeOps.Gateway.Hosting.Systemd;

/// <summary>The gateway's <see cref="EngineLoop"/> as the watchdog's heartbeat.</summary>
internal sealed class EngineLoopHeartbeat(EngineLoop loop) : IEngineHeartbeat
{
    public TimeSpan SinceLastBeat => loop.SinceLastBeat;
}
