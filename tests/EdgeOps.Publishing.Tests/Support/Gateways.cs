using Microsoft.Extensions.Logging;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Mqtt.Commands;
using EdgeOps.Publishing.Outbox;
using EdgeOps.TestSupport.Mosquitto;

namespace EdgeOps.Publishing.Tests.Support;

/// <summary>Publisher options for a test: a fresh outbox file, fast reconnects, a unique gateway id.</summary>
public static class Gateways
{
    // Every test publisher measures, as the gateway's does; the outage tests read edgeops.outbox.dropped from it.
    private static readonly PublishingMetrics Metrics = new(new EdgeOps.TestSupport.Metrics.TestMeterFactory());

    public static MqttOptions Options(MosquittoBroker broker, string? outboxDirectory = null, string? gatewayId = null)
    {
        var id = gatewayId ?? "gw-" + Guid.NewGuid().ToString("N")[..8];
        var directory = outboxDirectory ?? Directory.CreateTempSubdirectory("edgeops-outbox-").FullName;
        return new MqttOptions
        {
            Broker = $"mqtt://{broker.Host}:{broker.Port}",
            Site = "plant1",
            GatewayId = id,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromSeconds(2),
            KeepAlive = TimeSpan.FromSeconds(5),
            Version = "0.1.0-test",
            ConfigHash = "sha256:test",
            Credentials = new MqttCredentialsOptions { UsernameVariable = "EDGEOPS_TEST_NO_USER_" + id, PasswordVariable = "EDGEOPS_TEST_NO_PASSWORD_" + id },
            Outbox = new Outbox.OutboxOptions { Path = Path.Combine(directory, "outbox.db"), ReplayRatePerSecond = 0 },
        };
    }

    public static MqttPublisher Create(MqttOptions options, CapturingLoggerFactory logs, params ICommandHandler[] handlers)
    {
        var router = new CommandRouter(handlers, TimeProvider.System, logs.CreateLogger<CommandRouter>());
        var publisher = new MqttPublisher(options, TimeProvider.System, logs, metrics: Metrics);
        publisher.RegisterInbound(router);
        return publisher;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {timeout.TotalSeconds} s. {diagnostics()}");
            }

            await Task.Delay(50);
        }
    }
}
