using System.Text.Json;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Browser;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Gateway.Tests.Web;

/// <summary>
/// One real gateway running the demo line fast, with faults made frequent so a test sees one within seconds,
/// and one headless chromium; shared by a test class so CI starts each once.
/// </summary>
public sealed class LiveLineFixture : IAsyncLifetime
{
    // Monday 2026-11-23 07:00 in Berlin: an hour into the early shift, before the breakfast break.
    public const string Start = "2026-11-23T06:00:00Z";
    public const double Speed = 30;
    private readonly string _dir = Directory.CreateTempSubdirectory("edgeops-web-").FullName;

    /// <summary>A user of the embedded broker with the commands role (anonymous clients may only read).</summary>
    public const string CommandsUser = "mes";

    /// <summary>Its password; the gateway is given only the hash.</summary>
    public const string CommandsPassword = "mes-test-password";

    public GatewayProcess Gateway { get; private set; } = null!;

    /// <summary>The gateway's embedded broker (the zero-setup default), on a free port.</summary>
    public int MqttPort { get; } = FreePort.Next();

    public HeadlessBrowser Browser { get; private set; } = null!;

    public string BaseUrl => $"http://127.0.0.1:{Gateway.WebPort}";

    public async Task InitializeAsync()
    {
        var demo = await File.ReadAllTextAsync(RepoPaths.File("firmware-config", "lines", "demo-line.yaml"));
        var faulty = demo.Replace("meanTimeBetweenFaults: 45m", "meanTimeBetweenFaults: 10m", StringComparison.Ordinal)
            .Replace("meanRepairTime: 4m", "meanRepairTime: 5m", StringComparison.Ordinal);
        Assert.NotEqual(demo, faulty);
        var config = Path.Combine(_dir, "line.yaml");
        // Products, so the board tests can start orders.
        await File.WriteAllTextAsync(config, Orders.DemoLineWithProducts.From(faulty));
        Gateway = await GatewayProcess.StartAsync(
        [
            "--config", config,
            "--data", Path.Combine(_dir, "data"),
            $"--EdgeOps:Simulator:Start={Start}",
            $"--EdgeOps:Simulator:Speed={Speed}",
            "--EdgeOps:ConsoleSummaryInterval=00:00:00",
            "--Logging:LogLevel:Default=Warning",
            $"--EdgeOps:Mqtt:EmbeddedPort={MqttPort}",
            $"--EdgeOps:Mqtt:EmbeddedBroker:Users:{CommandsUser}:PasswordHash="
                + Publishing.Mqtt.Broker.BrokerPasswordHash.Create(CommandsPassword, Publishing.Mqtt.Broker.BrokerPasswordHash.MinIterations),
            $"--EdgeOps:Mqtt:EmbeddedBroker:Users:{CommandsUser}:Roles:0=commands",
        ]);
        Browser = await HeadlessBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Gateway?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Polls /api/line until a machine satisfies <paramref name="condition"/>.</summary>
    public async Task<JsonElement> WaitForMachineAsync(Func<JsonElement, bool> condition, TimeSpan timeout)
    {
        JsonElement found = default;
        await Gateway.WaitForJsonAsync("/api/line", line =>
        {
            foreach (var m in line.GetProperty("machines").EnumerateArray())
            {
                if (condition(m))
                {
                    found = m.Clone();
                    return true;
                }
            }

            return false;
        }, timeout);
        return found;
    }
}
