namespace EdgeOps.Contract.Payloads;

/// <summary>
/// <c>.../{machine}/alarms</c>, retained: the condition alarms currently raised on the machine (all its signals).
/// Republished whenever one is raised or cleared; an empty list means none. The raise and clear themselves are events.
/// </summary>
public sealed record AlarmsPayload : PayloadBase
{
    /// <inheritdoc />
    public override string Schema => PayloadSchemas.Alarms;

    /// <summary>Machine id.</summary>
    public required string Machine { get; init; }

    /// <summary>Raised alarms, oldest first.</summary>
    public required IReadOnlyList<ActiveAlarmEntry> Active { get; init; }
}

/// <summary>One raised condition alarm.</summary>
/// <param name="Signal">Analog signal the alarm watches.</param>
/// <param name="Alarm">Alarm name from the line configuration.</param>
/// <param name="Severity">info, warning or critical.</param>
/// <param name="Feature">Feature compared with the threshold (velocityRms, anomaly, value...).</param>
/// <param name="Value">The value that raised it.</param>
/// <param name="Threshold">The raise threshold.</param>
/// <param name="Since">When it was raised.</param>
public sealed record ActiveAlarmEntry(string Signal, string Alarm, string Severity, string Feature, double Value, double Threshold, DateTimeOffset Since);
