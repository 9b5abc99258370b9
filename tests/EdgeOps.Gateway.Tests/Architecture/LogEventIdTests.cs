using System.Text.RegularExpressions;
using EdgeOps.TestSupport;

namespace EdgeOps.Gateway.Tests.Architecture;

/// <summary>
/// The one registry of log EventIds: each area (a folder under src/) owns one range, and every
/// <c>[LoggerMessage(EventId = n)]</c> is used once, inside its area's range. An operator filtering the journal or an
/// alert on an event id must find one meaning, not two (the outbox and the OPC UA source once shared 3100-3102).
/// docs/architecture.md ("Log EventIds") shows the same table.
/// </summary>
public sealed partial class LogEventIdTests
{
    /// <summary>Area → folder (or file) under the repository, and its range. The longest matching path is a file's area.</summary>
    private static readonly (string Area, string Path, int First, int Last)[] Registry =
    [
        ("gateway start-up", "src/EdgeOps.Gateway/Hosting/GatewayHost.cs", 1, 99),
        ("engine loop and sources runner", "src/EdgeOps.Gateway/Engine", 100, 199),
        ("condition monitoring", "src/EdgeOps.Gateway/Condition", 700, 799),
        ("web and live view", "src/EdgeOps.Gateway/Web", 800, 809),
        ("MQTT publishing", "src/EdgeOps.Publishing/Mqtt", 3000, 3099),
        ("OPC UA source", "src/EdgeOps.Sources/OpcUa", 3100, 3199),
        ("outbox", "src/EdgeOps.Publishing/Outbox", 3200, 3299),
        ("Modbus source and stack lights", "src/EdgeOps.Sources/Modbus", 3300, 3349),
        ("Sparkplug B", "src/EdgeOps.Publishing/Sparkplug", 3400, 3429),
        ("GPIO source", "src/EdgeOps.Sources/Gpio", 5000, 5049),
        ("sensor sources", "src/EdgeOps.Sources/Sensors", 5050, 5099),
        ("stack-light outputs", "src/EdgeOps.Sources/Outputs", 5100, 5119),
        ("stack-light service", "src/EdgeOps.Gateway/Configuration/Bindings", 5120, 5149),
        ("ingest (InfluxDB writers)", "src/EdgeOps.Ingest", 6000, 6099),
        ("historian", "src/EdgeOps.Historian", 6100, 6199),
        ("edge-local InfluxDB", "src/EdgeOps.Gateway/Influx", 6200, 6299),
        ("systemd integration", "src/EdgeOps.Gateway/Hosting/Systemd", 9000, 9049),
        ("storage guard", "src/EdgeOps.Gateway/Storage", 9100, 9109),
    ];

    [Fact]
    public void EveryLogEventId_IsUsedOnceAcrossTheProducts()
    {
        var uses = Uses();
        var twice = uses.GroupBy(u => u.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(u => u.File))}").ToList();
        Assert.True(twice.Count == 0, "event ids used more than once:\n" + string.Join("\n", twice));
    }

    [Fact]
    public void EveryLogEventId_IsInTheRangeOfItsArea()
    {
        var wrong = new List<string>();
        foreach (var use in Uses())
        {
            var area = Registry.Where(a => use.File == a.Path || use.File.StartsWith(a.Path + "/", StringComparison.Ordinal))
                .OrderByDescending(a => a.Path.Length).Select(a => (Found: true, a.Area, a.First, a.Last)).FirstOrDefault();
            if (!area.Found)
            {
                wrong.Add($"{use.File}: EventId {use.Id} is in no area of the registry: add the folder and a free range to LogEventIdTests.Registry and docs/architecture.md");
            }
            else if (use.Id < area.First || use.Id > area.Last)
            {
                wrong.Add($"{use.File}: EventId {use.Id} is outside {area.Area}'s range {area.First}-{area.Last}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void TheRegistry_GivesEachAreaItsOwnRange()
    {
        var overlaps = Registry.SelectMany(a => Registry.Where(b => string.CompareOrdinal(a.Path, b.Path) < 0 && a.First <= b.Last && b.First <= a.Last)
            .Select(b => $"{a.Area} {a.First}-{a.Last} overlaps {b.Area} {b.First}-{b.Last}")).ToList();
        Assert.True(overlaps.Count == 0, string.Join("\n", overlaps));
    }

    private static List<(int Id, string File)> Uses()
    {
        var uses = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => EventId().Matches(File.ReadAllText(f))
                .Select(m => (Id: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                    File: Path.GetRelativePath(RepoPaths.Root, f).Replace(Path.DirectorySeparatorChar, '/'))))
            .ToList();
        Assert.True(uses.Count > 100, $"found only {uses.Count} [LoggerMessage] event ids under src/: the scan is broken");
        return uses;
    }

    [GeneratedRegex(@"LoggerMessage\(\s*EventId\s*=\s*(\d+)")]
    private static partial Regex EventId();
}
