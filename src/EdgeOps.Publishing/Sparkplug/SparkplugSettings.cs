using EdgeOps.Contract.Sparkplug;

namespace EdgeOps.Publishing.Sparkplug;

/// <summary>The Sparkplug edge node's settings with every default filled in (from <see cref="SparkplugOptions"/> and the line).</summary>
public sealed record SparkplugSettings
{
    /// <summary>Group id.</summary>
    public required string GroupId { get; init; }

    /// <summary>Edge node id.</summary>
    public required string EdgeNodeId { get; init; }

    /// <summary>Primary host application id, or null.</summary>
    public string? PrimaryHostId { get; init; }

    /// <summary>Report-by-exception minimum interval per device.</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>MQTT client id of the session.</summary>
    public required string ClientId { get; init; }

    /// <summary>The Sparkplug outbox file.</summary>
    public required string OutboxPath { get; init; }

    /// <summary>The file that keeps <c>bdSeq</c>.</summary>
    public required string BdSeqPath { get; init; }

    /// <summary>Fills the defaults: group <c>{site}-{area}</c>, edge node the gateway id, files in <paramref name="dataDirectory"/>.</summary>
    public static SparkplugSettings Resolve(SparkplugOptions options, string site, string area, string gatewayId, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var node = options.EdgeNodeId ?? gatewayId;
        return new SparkplugSettings
        {
            GroupId = SparkplugTopics.Id(options.GroupId ?? $"{site}-{area}", $"{SparkplugOptions.Section}:GroupId"),
            EdgeNodeId = SparkplugTopics.Id(node, $"{SparkplugOptions.Section}:EdgeNodeId"),
            PrimaryHostId = options.PrimaryHostId is { } host ? SparkplugTopics.Id(host, $"{SparkplugOptions.Section}:PrimaryHostId") : null,
            MinInterval = options.MinInterval,
            ClientId = options.ClientId ?? $"{node}-sparkplug",
            OutboxPath = options.OutboxPath ?? Path.Combine(dataDirectory, "sparkplug-outbox.db"),
            BdSeqPath = Path.Combine(dataDirectory, "sparkplug-bdseq"),
        };
    }
}
