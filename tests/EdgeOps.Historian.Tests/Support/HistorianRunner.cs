using EdgeOps.Ingest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeOps.Historian.Tests.Support;

/// <summary>The historian host in this process, wired exactly as Program.cs wires it.</summary>
public sealed class HistorianRunner : IAsyncDisposable
{
    private readonly IHost _host;

    private HistorianRunner(IHost host)
    {
        _host = host;
    }

    public HistorianService Service => _host.Services.GetRequiredService<HistorianService>();

    public InfluxIngest Ingest => _host.Services.GetRequiredService<InfluxIngest>();

    public static async Task<HistorianRunner> StartAsync(IDictionary<string, string?> configuration)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = Path.GetTempPath(),
        });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddHistorian();
        var host = builder.Build();
        await host.StartAsync();
        var runner = new HistorianRunner(host);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        // Subscribed, not only connected: on a fresh session, messages published before the SUBACK are not queued for it.
        while (!runner.Service.IsSubscribed)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The historian did not connect and subscribe within 20 s.");
            }

            await Task.Delay(50);
        }

        return runner;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(10));
        _host.Dispose();
    }
}
