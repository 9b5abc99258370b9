namespace EdgeOps.Gateway.Tests.Orders;

/// <summary>The demo line with two products, for the order tests (the shipped demo line may name none).</summary>
internal static class DemoLineWithProducts
{
    /// <summary>Product ids the tests can rely on when the demo line names no products of its own.</summary>
    public const string ProductsYaml = """

        products:
          - { id: bracket-a, name: Bracket A, idealCycleTime: 20s, targetPerHour: 150 }
          - { id: bracket-b, name: Bracket B, idealCycleTime: 40s, unitsPerCycle: 2 }
        """;

    /// <summary><paramref name="demo"/> with <see cref="ProductsYaml"/> appended, unless it has a <c>products:</c> section already.</summary>
    public static string From(string demo) =>
        demo.Contains("\nproducts:", StringComparison.Ordinal) ? demo : demo.TrimEnd() + "\n" + ProductsYaml + "\n";
}
