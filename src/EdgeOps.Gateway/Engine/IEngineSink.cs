using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Events;

namespace EdgeOps.Gateway.Engine;

/// <summary>
/// Receives what the engine produces (design section 1: MQTT publisher, live view, stack lights).
/// Called on the engine thread: implementations only hand work off (enqueue), never block or do I/O.
/// </summary>
public interface IEngineSink
{
    /// <summary>An event, as soon as the engine emits it.</summary>
    void OnEvent(EngineEvent engineEvent);

    /// <summary>A fresh snapshot of the line, at most every snapshot interval and only when something changed.</summary>
    void OnSnapshot(LineSnapshot snapshot);
}

/// <summary>Sees analog signals as they pass (condition monitoring), with whether their machine is running.</summary>
public interface IAnalogObserver
{
    void OnAnalog(in EdgeOps.Core.Signals.Signal signal, bool machineRunning);
}

/// <summary>State that must survive a restart alongside the engine's (maintenance counters, baselines).</summary>
public interface ICheckpointParticipant
{
    /// <summary>Key in the checkpoint store.</summary>
    string Key { get; }

    /// <summary>Serialized state, called on the engine thread.</summary>
    string Save(DateTimeOffset now);

    /// <summary>Restores from the last saved state, before the engine loop starts.</summary>
    void Restore(string json);
}
