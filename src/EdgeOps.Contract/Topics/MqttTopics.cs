namespace EdgeOps.Contract;

/// <summary>The topic tree of DESIGN.md section 6: <c>edgeops/v1/{site}/{area}/{line}/{machine}/...</c>.</summary>
public static class MqttTopics
{
    /// <summary>Root and contract version of every EdgeOps topic.</summary>
    public const string Root = "edgeops/v1";

    /// <summary>The filter for the whole contract, <c>edgeops/v1/#</c> (the historian's default, <c>edgeops mqtt tail</c>'s).</summary>
    public const string All = Root + "/#";

    /// <summary>The inbound command verbs.</summary>
    public static IReadOnlyList<string> CommandVerbs { get; } = [
        CommandVerb.AssignReason, CommandVerb.ResetMaintenance, CommandVerb.PlannedStop,
        CommandVerb.StartOrder, CommandVerb.CompleteOrder, CommandVerb.PauseOrder, CommandVerb.ResumeOrder,
    ];

    /// <summary>
    /// The machine level of a line's own topics (<c>edgeops/v1/{site}/{area}/{line}/_line/order</c>, its events and
    /// commands): machine ids start with a letter or digit, so it never collides with one, and every parser and the
    /// command filter <c>.../{line}/+/cmd/+</c> treat it like a machine.
    /// </summary>
    public const string LineLevel = "_line";

    /// <summary>The line's own topics (line orders): <see cref="Machine"/> with <see cref="LineLevel"/>.</summary>
    public static MachineTopics LineScope(string site, string area, string line) => new(site, area, line, LineLevel);

    /// <summary>Topics of one machine.</summary>
    public static MachineTopics Machine(string site, string area, string line, string machine) => new(site, area, line, machine);

    /// <summary><c>edgeops/v1/{site}/_gateways/{gatewayId}/status</c>.</summary>
    public static string GatewayStatus(string site, string gatewayId) =>
        $"{Root}/{Segment(site, "site")}/_gateways/{Segment(gatewayId, "gatewayId")}/status";

    /// <summary><c>edgeops/v1/{site}/_gateways/{gatewayId}/alarms</c>: the gateway's own alarms (e.g. disk-space-low), retained.</summary>
    public static string GatewayAlarms(string site, string gatewayId) =>
        $"{Root}/{Segment(site, "site")}/_gateways/{Segment(gatewayId, "gatewayId")}/alarms";

    /// <summary>The filter a gateway subscribes to for its line's commands: <c>.../{line}/+/cmd/+</c>.</summary>
    public static string CommandFilter(string site, string area, string line) =>
        $"{Root}/{Segment(site, "site")}/{Segment(area, "area")}/{Segment(line, "line")}/+/cmd/+";

    /// <summary>
    /// Checks one topic level: not empty, no '/', '+', '#', NUL, and no leading '$' (reserved by brokers).
    /// The error names the level and the value so a config mistake is found at start.
    /// </summary>
    public static string Segment(string value, string what)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"MQTT topic level '{what}' is empty.", what);
        }

        if (value.AsSpan().IndexOfAny("/+#\0") >= 0 || value[0] == '$')
        {
            throw new ArgumentException(
                $"MQTT topic level '{what}' = '{value}' may not contain '/', '+', '#' or NUL, nor start with '$'.", what);
        }

        return value;
    }

    /// <summary>Splits a command topic <c>edgeops/v1/{site}/{area}/{line}/{machine}/cmd/{verb}</c>; null if it is not one.</summary>
    public static CommandTopic? ParseCommand(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var parts = topic.Split('/');
        if (parts.Length != 8 || parts[0] != "edgeops" || parts[1] != "v1" || parts[6] != "cmd"
            || parts.Any(string.IsNullOrEmpty))
        {
            return null;
        }

        return new CommandTopic(new MachineTopics(parts[2], parts[3], parts[4], parts[5]), parts[7]);
    }
}

/// <summary>A parsed command topic.</summary>
public sealed record CommandTopic(MachineTopics Machine, string Verb)
{
    /// <summary>Where the reply goes: the command topic plus <c>/reply</c>.</summary>
    public string ReplyTopic => Machine.Reply(Verb);
}

/// <summary>The topics of one machine.</summary>
public sealed record MachineTopics
{
    /// <summary>Validates every level.</summary>
    public MachineTopics(string site, string area, string line, string machine)
    {
        Site = MqttTopics.Segment(site, "site");
        Area = MqttTopics.Segment(area, "area");
        Line = MqttTopics.Segment(line, "line");
        MachineId = MqttTopics.Segment(machine, "machine");
        Base = $"{MqttTopics.Root}/{Site}/{Area}/{Line}/{MachineId}";
    }

    /// <summary>Site.</summary>
    public string Site { get; }

    /// <summary>Area.</summary>
    public string Area { get; }

    /// <summary>Line.</summary>
    public string Line { get; }

    /// <summary>Machine id.</summary>
    public string MachineId { get; }

    /// <summary><c>edgeops/v1/{site}/{area}/{line}/{machine}</c>.</summary>
    public string Base { get; }

    /// <summary>Retained current state.</summary>
    public string State => Base + "/state";

    /// <summary>Retained counts.</summary>
    public string Counts => Base + "/counts";

    /// <summary>Retained KPIs.</summary>
    public string Kpi => Base + "/kpi";

    /// <summary>Events, QoS 1.</summary>
    public string Events => Base + "/events";

    /// <summary>Retained last closed shift.</summary>
    public string Shift => Base + "/shift";

    /// <summary>Retained current (or last completed) production order.</summary>
    public string Order => Base + "/order";

    /// <summary>Retained condition alarms currently raised.</summary>
    public string Alarms => Base + "/alarms";

    /// <summary>Retained maintenance counters.</summary>
    public string Maintenance => Base + "/maintenance";

    /// <summary>Retained condition features of one signal.</summary>
    public string Condition(string signal) => $"{Base}/condition/{MqttTopics.Segment(signal, "signal")}";

    /// <summary>Inbound command.</summary>
    public string Command(string verb) => $"{Base}/cmd/{MqttTopics.Segment(verb, "verb")}";

    /// <summary>Reply to a command.</summary>
    public string Reply(string verb) => Command(verb) + "/reply";
}
