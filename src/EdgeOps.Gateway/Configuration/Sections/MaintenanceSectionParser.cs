using EdgeOps.Core.Condition.Maintenance;
using EdgeOps.Core.Model;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Sections;

/// <summary>
/// <c>maintenance:</c> under a machine (docs/condition-monitoring.md): items with run-hour, cycle or start intervals.
/// The counters' own rules (unique items, at least one interval) come from building <see cref="MaintenanceCounters"/>.
/// </summary>
internal sealed class MaintenanceSectionParser : IMachineSectionParser
{
    public string Key => "maintenance";

    public MachineDefinition Parse(YamlNode node, string keyPath, MachineDefinition machine, ConfigContext context)
    {
        if (node is not YamlSequenceNode list)
        {
            context.Error(node, keyPath, $"expected a list ('- ' items), got {MappingReader.Describe(node)}");
            return machine;
        }

        var errorsBefore = context.Errors.Count;
        var items = new List<MaintenanceDefinition>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = MappingReader.Open(list.Children[i], ConfigContext.Item(keyPath, i), context, "item", "everyHours", "everyCycles", "everyStarts", "grace");
            if (item is null)
            {
                continue;
            }

            var name = item.Id("item", required: true);
            var definition = new MaintenanceDefinition
            {
                Item = name ?? string.Empty,
                EveryHours = item.Double("everyHours", min: double.Epsilon),
                EveryCycles = item.Integer("everyCycles", min: 1),
                EveryStarts = item.Integer("everyStarts", min: 1),
                Grace = item.Double("grace", 0, 10) ?? 0.1,
            };
            if (name is not null)
            {
                items.Add(definition);
            }
        }

        if (context.Errors.Count == errorsBefore)
        {
            try
            {
                _ = new MaintenanceCounters(machine.Id, items);
            }
            catch (ArgumentException e)
            {
                var (path, message) = ConditionSectionParser.Split(e.Message, keyPath);
                context.Error(path, message);
            }
        }

        return machine with { Maintenance = items };
    }
}
