using EdgeOps.TestSupport.Influx;
using EdgeOps.TestSupport.Mosquitto;

namespace EdgeOps.Historian.Tests.Support;

/// <summary>One influxd, one victoria-metrics and one Mosquitto shared by the fast end-to-end tests.</summary>
public sealed class ServersFixture : IAsyncLifetime
{
    public InfluxV1Server Influxd { get; } = new();

    public VictoriaMetricsServer Victoria { get; } = new();

    public MosquittoBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Influxd.StartAsync(), Victoria.StartAsync());
        Broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxInflightMessages = 0 });
    }

    public async Task DisposeAsync()
    {
        await Influxd.DisposeAsync();
        await Victoria.DisposeAsync();
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }
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
public sealed class ServersCollection : ICollectionFixture<ServersFixture>
{
    public const string Name = "servers";
}
