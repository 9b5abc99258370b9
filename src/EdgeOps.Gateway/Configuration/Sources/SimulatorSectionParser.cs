using EdgeOps.Core.Model;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Sources;

/// <summary><c>sources: simulator: { seed: 42, speed: 1, degradingMachine: press, ... }</c>.</summary>
internal sealed class SimulatorSectionParser : ISourcesSectionParser
{
    public string Key => "simulator";

    public SourcesDefinition Parse(YamlNode node, string keyPath, SourcesDefinition sources, ConfigContext context)
    {
        var defaults = new SimulatorDefinition();
        if (MappingReader.IsNull(node))
        {
            return sources with { Simulator = defaults };
        }

        var map = MappingReader.Open(
            node, keyPath, context,
            "seed", "speed", "rejectRate", "cycleJitter", "meanTimeBetweenFaults", "meanRepairTime", "degradingMachine", "bufferSize", "start");
        if (map is null)
        {
            return sources;
        }

        var start = map.String("start");
        DateTimeOffset? startAt = null;
        if (start is not null)
        {
            if (DateTimeOffset.TryParse(start, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
            {
                startAt = parsed.ToUniversalTime();
            }
            else
            {
                context.Error(map.Get("start"), map.PathOf("start"), $"'{start}' is not an instant: expected RFC 3339, e.g. 2026-03-02T05:00:00Z");
            }
        }

        return sources with
        {
            Simulator = new SimulatorDefinition
            {
                Seed = (int?)map.Integer("seed", int.MinValue, int.MaxValue) ?? defaults.Seed,
                Speed = map.Double("speed", 0.001, 1_000_000) ?? defaults.Speed,
                RejectRate = map.Double("rejectRate", 0, 1) ?? defaults.RejectRate,
                CycleJitter = map.Double("cycleJitter", 0, 0.9) ?? defaults.CycleJitter,
                MeanTimeBetweenFaults = map.Duration("meanTimeBetweenFaults") ?? defaults.MeanTimeBetweenFaults,
                MeanRepairTime = map.Duration("meanRepairTime") ?? defaults.MeanRepairTime,
                DegradingMachine = map.String("degradingMachine"),
                BufferSize = (int?)map.Integer("bufferSize", 1, 100_000) ?? defaults.BufferSize,
                Start = startAt,
            },
        };
    }
}
