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
}
