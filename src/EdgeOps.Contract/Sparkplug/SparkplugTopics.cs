namespace EdgeOps.Contract.Sparkplug;

/// <summary>Sparkplug B message types (the third level of <c>spBv1.0/{group}/{type}/{node}[/{device}]</c>).</summary>
public enum SparkplugMessageType
{
    /// <summary>Edge node birth.</summary>
    NBirth,

    /// <summary>Edge node death (the MQTT will).</summary>
    NDeath,

    /// <summary>Device birth.</summary>
    DBirth,

    /// <summary>Device death.</summary>
    DDeath,

    /// <summary>Edge node data.</summary>
    NData,

    /// <summary>Device data.</summary>
    DData,

    /// <summary>Command to the edge node.</summary>
    NCmd,

    /// <summary>Command to a device.</summary>
    DCmd,
}

/// <summary>
/// The Sparkplug B 3.0 topic namespace: <c>spBv1.0/{group_id}/{message_type}/{edge_node_id}[/{device_id}]</c> and the
/// host application's <c>spBv1.0/STATE/{host_id}</c>.
/// </summary>
public static class SparkplugTopics
{
    /// <summary>The namespace of Sparkplug B (every version of the 3.0 specification keeps it).</summary>
    public const string Namespace = "spBv1.0";

    /// <summary>A node-level topic (NBIRTH, NDEATH, NDATA, NCMD).</summary>
    public static string Node(string group, SparkplugMessageType type, string node) =>
        $"{Namespace}/{group}/{Name(type)}/{node}";

    /// <summary>A device-level topic (DBIRTH, DDEATH, DDATA, DCMD).</summary>
    public static string Device(string group, SparkplugMessageType type, string node, string device) =>
        $"{Namespace}/{group}/{Name(type)}/{node}/{device}";

    /// <summary>The host application's state topic (3.0: <c>spBv1.0/STATE/{host_id}</c>, JSON payload, retained).</summary>
    public static string State(string hostId) => $"{Namespace}/STATE/{hostId}";

    /// <summary>The message type's name on the wire (NBIRTH, ...).</summary>
    public static string Name(SparkplugMessageType type) => type switch
    {
        SparkplugMessageType.NBirth => "NBIRTH",
        SparkplugMessageType.NDeath => "NDEATH",
        SparkplugMessageType.DBirth => "DBIRTH",
        SparkplugMessageType.DDeath => "DDEATH",
        SparkplugMessageType.NData => "NDATA",
        SparkplugMessageType.DData => "DDATA",
        SparkplugMessageType.NCmd => "NCMD",
        _ => "DCMD",
    };

    /// <summary>Splits a Sparkplug topic; false when <paramref name="topic"/> is not one (STATE included: it has no node).</summary>
    public static bool TryParse(string topic, out SparkplugMessageType type, out string group, out string node, out string? device)
    {
        ArgumentNullException.ThrowIfNull(topic);
        type = default;
        group = node = string.Empty;
        device = null;
        var parts = topic.Split('/');
        if (parts.Length is < 4 or > 5 || parts[0] != Namespace || parts.Any(string.IsNullOrEmpty))
        {
            return false;
        }

        SparkplugMessageType? parsed = parts[2] switch
        {
            "NBIRTH" => SparkplugMessageType.NBirth,
            "NDEATH" => SparkplugMessageType.NDeath,
            "DBIRTH" => SparkplugMessageType.DBirth,
            "DDEATH" => SparkplugMessageType.DDeath,
            "NDATA" => SparkplugMessageType.NData,
            "DDATA" => SparkplugMessageType.DData,
            "NCMD" => SparkplugMessageType.NCmd,
            "DCMD" => SparkplugMessageType.DCmd,
            _ => null,
        };
        var deviceLevel = parsed is SparkplugMessageType.DBirth or SparkplugMessageType.DDeath or SparkplugMessageType.DData or SparkplugMessageType.DCmd;
        if (parsed is null || deviceLevel != (parts.Length == 5))
        {
            return false;
        }

        type = parsed.Value;
        group = parts[1];
        node = parts[3];
        device = deviceLevel ? parts[4] : null;
        return true;
    }

    /// <summary>
    /// Checks a Sparkplug id (group, edge node, device, host): not empty, none of '/', '+', '#' (the specification's
    /// rule). The error names <paramref name="key"/> and the value.
    /// </summary>
    public static string Id(string value, string key)
    {
        if (string.IsNullOrEmpty(value) || value.AsSpan().IndexOfAny("/+#\0") >= 0)
        {
            throw new ArgumentException($"{key} = '{value}' is not a Sparkplug id: it must be non-empty and contain no '/', '+', '#'.", key);
        }

        return value;
    }
}
