using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Tests.Support;

/// <summary>Lines with products for the product and order tests.</summary>
internal static class OrderLines
{
    /// <summary>Product A: 30 s, 120/h, code 1. Product B: 45 s, 80/h, code 2. Product C: 20 s cycle, two cavities.</summary>
    public static IReadOnlyList<ProductDefinition> Products { get; } =
    [
        new ProductDefinition { Id = "A", Name = "Bracket A", Code = 1, IdealCycleTime = TimeSpan.FromSeconds(30), TargetPerHour = 120 },
        new ProductDefinition { Id = "B", Name = "Bracket B", Code = 2, IdealCycleTime = TimeSpan.FromSeconds(45), TargetPerHour = 80 },
        new ProductDefinition { Id = "C", Name = "Clip", Code = 3, IdealCycleTime = TimeSpan.FromSeconds(20), UnitsPerCycle = 2 },
    ];

    /// <summary>The full test machine plus order and product inputs, on a line with the two shifts and the products.</summary>
    public static LineDefinition Line(params MachineDefinition[] machines)
    {
        var list = machines.Length > 0 ? machines : [Machine("m1")];
        return TestLines.Line(list) with { Products = Products };
    }

    public static MachineDefinition Machine(string id) => TestLines.FullMachine(id) with
    {
        Signals = [.. TestLines.FullMachine(id).Signals, TestLines.Sig("order", SignalRole.Order), TestLines.Sig("product", SignalRole.Product)],
    };
}
