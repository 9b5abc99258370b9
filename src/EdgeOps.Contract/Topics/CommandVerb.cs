namespace EdgeOps.Contract;

/// <summary>The verbs of <c>.../{machine}/cmd/{verb}</c>.</summary>
public static class CommandVerb
{
    /// <summary>Assign a reason to the current stop or a past one.</summary>
    public const string AssignReason = "assign-reason";

    /// <summary>Reset a maintenance (usage) counter.</summary>
    public const string ResetMaintenance = "reset-maintenance";

    /// <summary>Start or end a planned stop.</summary>
    public const string PlannedStop = "planned-stop";

    /// <summary>Start (release) a production order on a machine or the line.</summary>
    public const string StartOrder = "start-order";

    /// <summary>Complete the running (or paused) production order.</summary>
    public const string CompleteOrder = "complete-order";

    /// <summary>Pause the running production order: its cycle time goes on, its production time and counts do not.</summary>
    public const string PauseOrder = "pause-order";

    /// <summary>Resume the paused production order.</summary>
    public const string ResumeOrder = "resume-order";
}
