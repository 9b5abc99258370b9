namespace EdgeOps.Publishing.Sparkplug;

/// <summary>Sparkplug B 3.0 edge node (config section <c>EdgeOps:Sparkplug</c>; docs/sparkplug.md lists every key).</summary>
/// <remarks>
/// <c>{ get; set; }</c>, never <c>init</c>: the configuration binding source generator skips init setters. Checked by
/// <see cref="SparkplugOptionsValidator"/>.
/// </remarks>
public sealed class SparkplugOptions
{
    /// <summary>The config section.</summary>
    public const string Section = "EdgeOps:Sparkplug";

    /// <summary>Publish the Sparkplug B encoding beside (or instead of) the JSON contract. Off by default.</summary>
    public bool Enabled { get; set; }

    /// <summary>Sparkplug group id; default <c>{site}-{area}</c> of the line file.</summary>
    public string? GroupId { get; set; }

    /// <summary>Sparkplug edge node id; default the gateway id (<c>EdgeOps:GatewayId</c>).</summary>
    public string? EdgeNodeId { get; set; }

    /// <summary>
    /// The primary host application's id: when set, births wait for <c>spBv1.0/STATE/{id}</c> online, and while the host
    /// is offline the node holds its data in the outbox and later sends it as historical.
    /// </summary>
    public string? PrimaryHostId { get; set; }

    /// <summary>Report by exception: a device's changed metrics go out at most once per this interval (default 1 s).</summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The MQTT client id of the Sparkplug session; default <c>{EdgeNodeId}-sparkplug</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>The Sparkplug outbox file; default <c>sparkplug-outbox.db</c> in the data directory.</summary>
    public string? OutboxPath { get; set; }
}
