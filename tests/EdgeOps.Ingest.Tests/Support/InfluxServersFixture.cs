using EdgeOps.TestSupport.Influx;

namespace EdgeOps.Ingest.Tests.Support;

/// <summary>One influxd and one victoria-metrics shared by the writer tests (the historian's fixture adds a broker).</summary>
public sealed class InfluxServersFixture : IAsyncLifetime
{
    public InfluxV1Server Influxd { get; } = new();

    public VictoriaMetricsServer Victoria { get; } = new();

    public Task InitializeAsync() => Task.WhenAll(Influxd.StartAsync(), Victoria.StartAsync());

    public async Task DisposeAsync()
    {
        await Influxd.DisposeAsync();
        await Victoria.DisposeAsync();
    }

    /// <summary>A fresh database name per test so tests do not see each other's points.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..12];
        await Influxd.CreateDatabaseAsync(name);
        return name;
    }
}

[CollectionDefinition(Name)]
public sealed class InfluxServersCollection : ICollectionFixture<InfluxServersFixture>
{
    public const string Name = "influx servers";
}
