using EdgeOps.Gateway.Configuration;

namespace EdgeOps.Gateway.Tests.Configuration;

/// <summary>The line file's <c>products:</c> and the order/product signal roles, as a plant engineer writes them.</summary>
public sealed class ProductConfigTests
{
    private const string Header = """
        site: plant
        area: pressing
        line: line-1
        timeZone: UTC
        shifts: [{ name: day, start: "06:00", end: "18:00" }]
        sources:
          simulator:

        """;

    private const string Machines = """
        machines:
          - id: press
            idealCycleTime: 10s
            signals:
              - { name: parts, role: total }
              - { name: order, role: order }
              - { name: product, role: product }
          - id: deburr
            idealCycleTime: 5s
            signals: [{ name: parts, role: total }]

        """;

    private static LineConfigResult Load(string products) => LineConfigLoader.LoadText(Header + Machines + products, "t.yaml");

    [Fact]
    public void Products_LineWideAndPerMachineTimes_AreLoaded()
    {
        var result = Load("""
            products:
              - { id: bracket-a, name: Bracket A, code: 1, idealCycleTime: 30s, targetPerHour: 110 }
              - id: bracket-b
                code: 2
                idealCycleTime: { press: 45s, deburr: 20s }
                unitsPerCycle: 2
            """);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        var line = result.Line!;
        Assert.Equal(["bracket-a", "bracket-b"], line.Products.Select(p => p.Id));
        Assert.Equal((1L, 110.0), (line.Products[0].Code!.Value, line.Products[0].TargetPerHour!.Value));
        Assert.Equal(TimeSpan.FromSeconds(30), line.Products[0].IdealTimePerUnit(line.Machines[1]));
        Assert.Equal(TimeSpan.FromSeconds(22.5), line.Products[1].IdealTimePerUnit(line.Machines[0]));
        Assert.Equal(TimeSpan.FromSeconds(10), line.Products[1].IdealTimePerUnit(line.Machines[1]));
    }

    [Theory]
    [InlineData("""
        products:
          - { id: a, idealCycleTime: 30s }
          - { id: a, idealCycleTime: 40s }
        """, "products[1].id", "duplicate product id 'a'")]
    [InlineData("""
        products:
          - { id: a, idealCycleTime: 0s }
        """, "products[0].idealCycleTime", "must be greater than zero")]
    [InlineData("""
        products:
          - { id: a, idealCycleTime: { press: 30s, dburr: 5s } }
        """, "products[0].idealCycleTime.dburr", "unknown machine 'dburr' (did you mean 'deburr'?)")]
    [InlineData("""
        products:
          - { id: a, idealCycleTime: { press: -3s } }
        """, "products[0].idealCycleTime.press", "is not a duration")]
    [InlineData("""
        products:
          - { id: a, code: 1 }
          - { id: b, code: 1 }
        """, "products[1].code", "product code 1 is also product 'a''s")]
    [InlineData("""
        products:
          - { id: a, unitsPerCycle: 0 }
        """, "products[0].unitsPerCycle", "out of range")]
    [InlineData("""
        products:
          - { id: a, idealCyleTime: 30s }
        """, "products[0].idealCyleTime", "did you mean 'idealCycleTime'?")]
    public void Products_BadEntries_AreRefusedNamingTheKey(string products, string keyPath, string message)
    {
        var result = Load(products);

        var error = Assert.Single(result.Errors);
        Assert.Equal(keyPath, error.KeyPath);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProductSignal_WithoutProducts_IsRefused()
    {
        var result = Load(string.Empty);

        var error = Assert.Single(result.Errors);
        Assert.Equal("machines[0].signals[2].role", error.KeyPath);
        Assert.Contains("has no 'products:'", error.Message, StringComparison.Ordinal);
    }
}
