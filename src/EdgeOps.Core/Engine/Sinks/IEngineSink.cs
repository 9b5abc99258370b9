using EdgeOps.Core.Engine.Events;

namespace EdgeOps.Core.Engine;

/// <summary>
/// Receives what the engine produces (design section 1: MQTT publisher, live view, stack lights). Declared here, beside
/// what it observes, so the sinks in other projects implement it and nothing points back at the host.
/// Called on the engine thread: implementations only hand work off (enqueue), never block or do I/O.
/// </summary>
public interface IEngineSink
{
    /// <summary>An event, as soon as the engine emits it.</summary>
    void OnEvent(EngineEvent engineEvent);

    /// <summary>A fresh snapshot of the line, at most every snapshot interval and only when something changed.</summary>
    void OnSnapshot(LineSnapshot snapshot);
}
