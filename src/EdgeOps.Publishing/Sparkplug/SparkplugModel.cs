using EdgeOps.Contract.Sparkplug;
using EdgeOps.Core.Model;

namespace EdgeOps.Publishing.Sparkplug;

/// <summary>One Sparkplug device: a machine, its metrics, and whether the host has it as online (DBIRTH) or dead (DDEATH).</summary>
internal sealed class SparkplugDevice(string id, MetricSet metrics, ConditionMetrics condition)
{
    public string Id { get; } = id;

    public MetricSet Metrics { get; } = metrics;

    /// <summary>The machine's condition, alarm and maintenance metrics (a part of <see cref="Metrics"/>).</summary>
    public ConditionMetrics Condition { get; } = condition;

    /// <summary>False once the machine went Offline (DDEATH sent), true again with its DBIRTH.</summary>
    public bool Online { get; set; } = true;

    /// <summary>When the last DDATA of this device was taken (report by exception: at most one per minimum interval).</summary>
    public long LastDataTimestamp { get; set; } = long.MinValue;

    /// <summary>Whether report by exception lets a DDATA go at <paramref name="now"/>: the first always, then one per interval.</summary>
    public bool DataDue(long now, TimeSpan minInterval, TimeProvider time) =>
        LastDataTimestamp == long.MinValue || time.GetElapsedTime(LastDataTimestamp, now) >= minInterval;
}

/// <summary>
/// The edge node's metric model shared by the session (births) and the engine sink (data): the node's own metrics, one
/// device per machine, their aliases, and the session stamp every queued message carries. Guarded by <see cref="Gate"/>.
/// </summary>
internal sealed class SparkplugModel
{
    /// <summary>Node metric names (Sparkplug 3.0 reserves the <c>Node Control/</c> folder and <c>bdSeq</c>).</summary>
    public const string BdSeq = "bdSeq", Rebirth = "Node Control/Rebirth", NextServer = "Node Control/Next Server";

    private readonly Dictionary<string, SparkplugDevice> _byId = new(StringComparer.Ordinal);

    public SparkplugModel(string group, string node, LineDefinition line, string version)
    {
        ArgumentNullException.ThrowIfNull(line);
        Group = SparkplugTopics.Id(group, $"{SparkplugOptions.Section}:GroupId");
        Node = SparkplugTopics.Id(node, $"{SparkplugOptions.Section}:EdgeNodeId");
        var aliases = new AliasAllocator();
        IReadOnlyList<MetricDefinition> nodeMetrics =
        [
            new(Rebirth, SparkplugDataType.Boolean),
            new(NextServer, SparkplugDataType.Boolean),
            new("Properties/Version", SparkplugDataType.String),
            new("Properties/Site", SparkplugDataType.String),
            new("Properties/Area", SparkplugDataType.String),
            new("Properties/Line", SparkplugDataType.String),
        ];
        NodeMetrics = new MetricSet(nodeMetrics, aliases.Assign(string.Empty, nodeMetrics));
        NodeMetrics.Initialise(0, SparkplugValue.Boolean(false));
        NodeMetrics.Initialise(1, SparkplugValue.Boolean(false));
        NodeMetrics.Initialise(2, SparkplugValue.String(version));
        NodeMetrics.Initialise(3, SparkplugValue.String(line.Site));
        NodeMetrics.Initialise(4, SparkplugValue.String(line.Area));
        NodeMetrics.Initialise(5, SparkplugValue.String(line.Line));

        var devices = new List<SparkplugDevice>();
        foreach (var machine in line.Machines)
        {
            var id = SparkplugTopics.Id(machine.Id, $"machine id '{machine.Id}'");
            IReadOnlyList<MetricDefinition> definitions = [.. MachineMetrics.Definitions, .. SparkplugCommands.Definitions, .. ConditionMetrics.Definitions(machine)];
            var metrics = new MetricSet(definitions, aliases.Assign(id, definitions));
            SparkplugCommands.Initialise(metrics);
            var device = new SparkplugDevice(id, metrics, ConditionMetrics.Bind(machine, metrics));
            devices.Add(device);
            _byId[id] = device;
        }

        Devices = devices;
    }

    /// <summary>Guards every metric set, <see cref="SparkplugDevice.Online"/> and <see cref="LiveSession"/>.</summary>
    public object Gate { get; } = new();

    public string Group { get; }

    public string Node { get; }

    public MetricSet NodeMetrics { get; }

    public IReadOnlyList<SparkplugDevice> Devices { get; }

    /// <summary>
    /// The session whose births the host has (1, 2, ...; a rebirth starts a new one), or 0 while none: a message queued
    /// with 0, or with a session that has ended, is historical when it goes out.
    /// </summary>
    public int LiveSession { get; set; }

    public SparkplugDevice? Device(string id) => _byId.GetValueOrDefault(id);

    public string DeviceTopic(SparkplugMessageType type, string device) => SparkplugTopics.Device(Group, type, Node, device);

    public string NodeTopic(SparkplugMessageType type) => SparkplugTopics.Node(Group, type, Node);

    /// <summary>
    /// Aliases that stay the same for a metric across restarts and line-file edits (FNV-1a of device and name, probing on
    /// a collision), so data still queued in the outbox from before a restart resolves against the new births.
    /// </summary>
    private sealed class AliasAllocator
    {
        private readonly HashSet<ulong> _taken = [];

        public IReadOnlyList<ulong?> Assign(string device, IReadOnlyList<MetricDefinition> definitions)
        {
            var aliases = new ulong?[definitions.Count];
            for (var i = 0; i < definitions.Count; i++)
            {
                var alias = Fnv1a($"{device}/{definitions[i].Name}");
                while (alias == 0 || !_taken.Add(alias))
                {
                    alias = (alias + 1) & 0xFFFF_FFFF;
                }

                aliases[i] = alias;
            }

            return aliases;
        }

        private static ulong Fnv1a(string text)
        {
            var hash = 2166136261u;
            foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
            {
                hash = unchecked((hash ^ b) * 16777619u);
            }

            return hash;
        }
    }
}
