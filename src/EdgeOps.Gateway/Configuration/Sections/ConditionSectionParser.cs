using EdgeOps.Core.Condition;
using EdgeOps.Core.Model;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Sections;

/// <summary>
/// <c>condition:</c> under an analog signal (docs/condition-monitoring.md). Shapes and types are checked here; the
/// monitor's own rules (feature names, band limits against the sample rate) by building a <see cref="ConditionMonitor"/>,
/// whose message already names the key inside the section.
/// </summary>
internal sealed class ConditionSectionParser : ISignalSectionParser
{
    private static readonly Dictionary<string, ConditionInput> Inputs = new(StringComparer.Ordinal)
    {
        ["generic"] = ConditionInput.Generic,
        ["acceleration"] = ConditionInput.Acceleration,
        ["velocity"] = ConditionInput.Velocity,
        ["velocityRms"] = ConditionInput.VelocityRms,
    };

    private static readonly Dictionary<string, IsoMachineClass> IsoClasses = new(StringComparer.Ordinal)
    {
        ["I"] = IsoMachineClass.I,
        ["II"] = IsoMachineClass.II,
        ["III"] = IsoMachineClass.III,
        ["IV"] = IsoMachineClass.IV,
    };

    private static readonly Dictionary<string, AlarmSeverity> Severities = new(StringComparer.Ordinal)
    {
        ["info"] = AlarmSeverity.Info,
        ["warning"] = AlarmSeverity.Warning,
        ["critical"] = AlarmSeverity.Critical,
    };

    public string Key => "condition";

    public SignalDefinition Parse(YamlNode node, string keyPath, SignalDefinition signal, ConfigContext context)
    {
        var map = MappingReader.Open(
            node, keyPath, context,
            "window", "sampleRate", "kind", "isoClass", "highPassHz", "publishInterval", "baselineHalfLife", "baselineWarmup", "bands", "trend", "alarms");
        if (map is null)
        {
            return signal;
        }

        var errorsBefore = context.Errors.Count;
        if (signal.Role != Core.Signals.SignalRole.Analog)
        {
            context.Error(map.Node, keyPath, "only analog signals take 'condition'");
        }

        var defaults = new ConditionDefinition { SampleRate = 1 };
        var sampleRate = map.Double("sampleRate", min: double.Epsilon, required: true);
        var definition = new ConditionDefinition
        {
            SampleRate = sampleRate ?? 1,
            Window = map.Duration("window") ?? defaults.Window,
            Input = map.Choice("kind", Inputs, "condition kind") ?? defaults.Input,
            IsoClass = map.Choice("isoClass", IsoClasses, "ISO machine class"),
            HighPassHz = map.Double("highPassHz", min: 0) ?? defaults.HighPassHz,
            PublishInterval = map.Duration("publishInterval"),
            BaselineHalfLife = map.Duration("baselineHalfLife") ?? defaults.BaselineHalfLife,
            BaselineWarmupWindows = (int?)map.Integer("baselineWarmup", 1, 1_000_000) ?? defaults.BaselineWarmupWindows,
            Bands = ParseBands(map, context),
            Trend = ParseTrend(map, context),
            Alarms = ParseAlarms(map, context),
        };

        // The monitor's own rules, only when the shapes are right (or its message would repeat ours).
        if (sampleRate is not null && context.Errors.Count == errorsBefore)
        {
            try
            {
                _ = new ConditionMonitor("machine", signal.Name, definition);
            }
            catch (ArgumentException e)
            {
                var (path, message) = Split(e.Message, keyPath);
                if (path.EndsWith(".highPassHz", StringComparison.Ordinal) && !map.Contains("highPassHz"))
                {
                    // The key is not in the file: say where the value came from and the way out.
                    message += $" highPassHz is not set and defaults to {defaults.HighPassHz} Hz; set highPassHz: 0 to turn the filter off for a slowly sampled velocity waveform.";
                }

                context.Error(path, message);
            }
        }

        return signal with { Condition = definition };
    }

    /// <summary>"condition.bands[1] 'gear' must ..." → ("machines[0].signals[2].condition.bands[1]", "'gear' must ...").</summary>
    internal static (string Path, string Message) Split(string message, string sectionPath)
    {
        // ArgumentException appends " (Parameter 'x')": noise for a plant engineer.
        var parameter = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        if (parameter > 0 && message.EndsWith("')", StringComparison.Ordinal))
        {
            message = message[..parameter];
        }

        var parent = sectionPath[..Math.Max(0, sectionPath.LastIndexOf('.'))];
        var firstWord = message.Split(' ', 2)[0].TrimEnd(':');
        if (firstWord.Length > 0 && !firstWord.Contains('\'', StringComparison.Ordinal) && message.Length > firstWord.Length
            && (firstWord.StartsWith("condition", StringComparison.Ordinal) || firstWord.StartsWith("maintenance", StringComparison.Ordinal)))
        {
            return (ConfigContext.Child(parent, firstWord), message[(message.IndexOf(' ', StringComparison.Ordinal) + 1)..].TrimStart(':', ' '));
        }

        return (sectionPath, message);
    }

    private static List<BandDefinition> ParseBands(MappingReader map, ConfigContext context)
    {
        var bands = new List<BandDefinition>();
        if (map.Sequence("bands") is not { } list)
        {
            return bands;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = MappingReader.Open(list.Children[i], ConfigContext.Item(map.PathOf("bands"), i), context, "name", "lowHz", "highHz");
            var name = item?.String("name", required: true);
            var low = item?.Double("lowHz", min: 0, required: true);
            var high = item?.Double("highHz", min: 0, required: true);
            if (name is not null && low is not null && high is not null)
            {
                bands.Add(new BandDefinition { Name = name, LowHz = low.Value, HighHz = high.Value });
            }
        }

        return bands;
    }

    private static TrendDefinition? ParseTrend(MappingReader map, ConfigContext context)
    {
        if (map.Mapping("trend") is not { } node)
        {
            return null;
        }

        var trend = new MappingReader(node, map.PathOf("trend"), context, "feature", "window", "threshold");
        var defaults = new TrendDefinition();
        return new TrendDefinition
        {
            Feature = trend.String("feature") ?? defaults.Feature,
            Window = trend.Duration("window") ?? defaults.Window,
            Threshold = trend.Double("threshold"),
        };
    }

    private static List<AlarmDefinition> ParseAlarms(MappingReader map, ConfigContext context)
    {
        var alarms = new List<AlarmDefinition>();
        if (map.Sequence("alarms") is not { } list)
        {
            return alarms;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = MappingReader.Open(
                list.Children[i], ConfigContext.Item(map.PathOf("alarms"), i), context, "name", "feature", "raise", "clear", "minDuration", "severity");
            if (item is null)
            {
                continue;
            }

            var name = item.String("name", required: true);
            var feature = item.String("feature", required: true);
            var raise = item.Double("raise", required: true);
            var clear = item.Double("clear", required: true);
            var minDuration = item.Duration("minDuration", allowZero: true);
            var severity = item.Choice("severity", Severities, "severity");
            if (name is not null && feature is not null && raise is not null && clear is not null)
            {
                alarms.Add(new AlarmDefinition
                {
                    Name = name,
                    Feature = feature,
                    Raise = raise.Value,
                    Clear = clear.Value,
                    MinDuration = minDuration ?? TimeSpan.Zero,
                    Severity = severity ?? AlarmSeverity.Warning,
                });
            }
        }

        return alarms;
    }
}
