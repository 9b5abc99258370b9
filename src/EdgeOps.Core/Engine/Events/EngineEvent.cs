namespace EdgeOps.Core.Engine.Events;

/// <summary>
/// Something the engine noticed about one machine, for the events topic and the live view. Events are rare
/// (state changes, stops, anomalies, shift closes), so they are ordinary objects; drain them with
/// <see cref="LineEngine.DrainEvents"/>.
/// </summary>
/// <param name="MachineIndex">Index of the machine in the line definition.</param>
/// <param name="MachineId">The machine's id.</param>
/// <param name="Timestamp">When it happened (UTC, engine time).</param>
public abstract record EngineEvent(int MachineIndex, string MachineId, DateTimeOffset Timestamp)
{
    /// <summary>Short kind name for payloads ("stateChanged", "stopEnded", ...).</summary>
    public abstract string Kind { get; }
}
