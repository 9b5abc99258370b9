using System.Net;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Mosquitto;

namespace EdgeOps.Gateway.Tests.Web;

/// <summary>/readyz follows the external broker: unready while Mosquitto is down, ready again when it returns.</summary>
public sealed class ReadinessBrokerTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("edgeops-readyz-").FullName;

    [Fact]
    public async Task Readyz_WhenTheBrokerStopsAndReturns_TurnsUnreadyThenReadyAgain()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var gateway = await GatewayProcess.StartAsync(
        [
            "--config", RepoPaths.File("firmware-config", "lines", "demo-line.yaml"),
            "--data", _data,
            $"--EdgeOps:Mqtt:Broker=mqtt://127.0.0.1:{broker.Port}",
            "--EdgeOps:Mqtt:ReconnectMaxDelay=00:00:01",
            "--EdgeOps:ConsoleSummaryInterval=00:00:00",
        ]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.WebPort}") };

        await WaitForStatusAsync(http, HttpStatusCode.OK, gateway);
        await broker.StopAsync();
        var body = await WaitForStatusAsync(http, HttpStatusCode.ServiceUnavailable, gateway);
        Assert.Contains("mqtt: NOT READY (broker not connected", body, StringComparison.Ordinal);

        await broker.StartAgainAsync();
        await WaitForStatusAsync(http, HttpStatusCode.OK, gateway);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static async Task<string> WaitForStatusAsync(HttpClient http, HttpStatusCode expected, GatewayProcess gateway)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
            last = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == expected)
            {
                return last;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"/readyz never answered {expected}. Last body: {last}\nGateway output:\n{gateway.Output}");
    }
}
