namespace EdgeOps.Contract;

/// <summary>
/// A topic of the MQTT contract taken apart: <c>edgeops/v1/{site}/{area}/{line}/{machine}/{kind}[/{signal}]</c>
/// or <c>edgeops/v1/{site}/_gateways/{gatewayId}/status</c>.
/// </summary>
public sealed record ContractTopic(string Kind, string Site, string? Area, string? Line, string? Machine, string? Signal, string? Gateway)
{
    public const string Prefix = MqttTopics.Root + "/";

    private static readonly HashSet<string> MachineKinds = new(StringComparer.Ordinal) { "state", "counts", "kpi", "events", "shift", "alarms", "maintenance", "order" };

    /// <summary>True for inbound command topics (<c>…/cmd/{verb}</c>): not history, skipped without a dead letter.</summary>
    public static bool IsCommand(string topic) =>
        topic.StartsWith(Prefix, StringComparison.Ordinal) && topic.Contains("/cmd/", StringComparison.Ordinal);

    /// <summary>Parses <paramref name="topic"/>; null with <paramref name="error"/> naming what is wrong otherwise.</summary>
    public static ContractTopic? TryParse(string topic, out string? error)
    {
        error = null;
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = $"topic '{topic}' is not under '{Prefix}'";
            return null;
        }

        var parts = topic[Prefix.Length..].Split('/');
        if (parts.Length == 4 && parts[1] == "_gateways" && parts[3] == "status")
        {
            return NonEmpty(parts) ? new ContractTopic("status", parts[0], null, null, null, null, parts[2]) : Bad(topic, out error);
        }

        if (parts.Length == 5 && MachineKinds.Contains(parts[4]) && NonEmpty(parts))
        {
            return new ContractTopic(parts[4], parts[0], parts[1], parts[2], parts[3], null, null);
        }

        if (parts.Length == 6 && parts[4] == "condition" && NonEmpty(parts))
        {
            return new ContractTopic("condition", parts[0], parts[1], parts[2], parts[3], parts[5], null);
        }

        return Bad(topic, out error);
    }

    private static bool NonEmpty(string[] parts) => parts.All(p => p.Length > 0);

    private static ContractTopic? Bad(string topic, out string? error)
    {
        error = $"topic '{topic}' is not a contract topic (expected {Prefix}{{site}}/{{area}}/{{line}}/{{machine}}/" +
            "state|counts|kpi|events|shift|order|condition/{signal}, or {site}/_gateways/{id}/status)";
        return null;
    }
}
