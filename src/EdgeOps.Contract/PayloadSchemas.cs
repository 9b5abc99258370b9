namespace EdgeOps.Contract;

/// <summary>
/// The schema id of every payload (<c>{id}/{major}</c>, a file in docs/contract/schemas) and which topic kind carries
/// which: the one table the payload records, the historian's mappers and the fast path read.
/// </summary>
public static class PayloadSchemas
{
    /// <summary>The schema major version the gateway writes and the historian understands.</summary>
    public const string Major = "1";

    public const string State = "edgeops.state/" + Major;
    public const string Counts = "edgeops.counts/" + Major;
    public const string Kpi = "edgeops.kpi/" + Major;
    public const string Event = "edgeops.event/" + Major;
    public const string Shift = "edgeops.shift/" + Major;
    public const string Condition = "edgeops.condition/" + Major;
    public const string Alarms = "edgeops.alarms/" + Major;
    public const string Maintenance = "edgeops.maintenance/" + Major;
    public const string Status = "edgeops.status/" + Major;
    public const string CommandReply = "edgeops.cmd-reply/" + Major;
    public const string Order = "edgeops.order/" + Major;

    /// <summary>Topic kind (the last level, or <c>condition</c>, <c>status</c>) → schema id without the version.</summary>
    public static IReadOnlyDictionary<string, string> IdByTopicKind { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["state"] = Id(State),
        ["counts"] = Id(Counts),
        ["kpi"] = Id(Kpi),
        ["events"] = Id(Event),
        ["shift"] = Id(Shift),
        ["condition"] = Id(Condition),
        ["alarms"] = Id(Alarms),
        ["maintenance"] = Id(Maintenance),
        ["status"] = Id(Status),
        ["order"] = Id(Order),
    };

    private static string Id(string schema) => schema[..schema.LastIndexOf('/')];
}
