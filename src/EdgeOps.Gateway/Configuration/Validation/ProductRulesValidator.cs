using EdgeOps.Core.Model;
using EdgeOps.Gateway.Configuration.Parsing;

namespace EdgeOps.Gateway.Configuration.Validation;

/// <summary>
/// Products: unique ids and codes (a PLC's product code must name one product), per-machine ideal cycle times only
/// for machines of the line, and order/product signals only where they can mean something.
/// </summary>
internal sealed class ProductRulesValidator : ILineValidator
{
    public void Validate(LineDefinition line, ConfigContext context)
    {
        var ids = new Dictionary<string, ProductDefinition>(StringComparer.Ordinal);
        var codes = new Dictionary<long, ProductDefinition>();
        var machines = line.Machines.Select(m => m.Id).ToList();
        foreach (var product in line.Products)
        {
            var path = context.PathOf(product);
            if (product.Id.Length > 0 && !ids.TryAdd(product.Id, product))
            {
                context.Error(ConfigContext.Child(path, "id"), $"duplicate product id '{product.Id}' (first at {context.PathOf(ids[product.Id])})");
            }

            if (product.Code is { } code && !codes.TryAdd(code, product))
            {
                context.Error(ConfigContext.Child(path, "code"), $"product code {code} is also product '{codes[code].Id}''s: a PLC code must name one product");
            }

            foreach (var machine in product.MachineIdealCycleTimes.Keys)
            {
                if (!machines.Contains(machine, StringComparer.Ordinal))
                {
                    context.Error(ConfigContext.Child(ConfigContext.Child(path, "idealCycleTime"), machine),
                        MappingReader.UnknownName("machine", machine, machines));
                }
            }
        }

        foreach (var machine in line.Machines)
        {
            foreach (var signal in machine.Signals.Where(s => s.Role == Core.Signals.SignalRole.Product))
            {
                if (line.Products.Count == 0)
                {
                    context.Error(ConfigContext.Child(context.PathOf(signal), "role"),
                        $"signal '{signal.Name}' on machine '{machine.Id}' selects a product, but the line file has no 'products:'");
                }
            }
        }
    }
}
