namespace EdgeOps.Core.Engine;

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
