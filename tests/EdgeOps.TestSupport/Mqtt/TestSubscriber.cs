using System.Buffers;
using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeOps.TestSupport.Mqtt;

/// <summary>
/// A central system's view: an MQTT 5 client with a persistent session (so the broker queues for it during an outage)
/// that reconnects on its own and records everything it receives.
/// </summary>
public sealed class TestSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly ConcurrentQueue<ReceivedMessage> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private TestSubscriber(IMqttClient client, MqttClientOptions options)
    {
        _client = client;
        _options = options;
    }

    public IReadOnlyList<ReceivedMessage> Received => _received.ToArray();

    public static async Task<TestSubscriber> StartAsync(string host, int port, string filter, Action<MqttClientOptionsBuilder>? configure = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId("test-sub-" + Guid.NewGuid().ToString("N")[..8])
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600)
            .WithTimeout(TimeSpan.FromSeconds(5));
        configure?.Invoke(builder);
        var subscriber = new TestSubscriber(client, builder.Build());
        client.ApplicationMessageReceivedAsync += e =>
        {
            subscriber._received.Enqueue(new ReceivedMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(),
                e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
        await client.ConnectAsync(subscriber._options);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce, false, true, MqttRetainHandling.SendAtSubscribe).Build());
        subscriber._loop = subscriber.ReconnectLoopAsync();
        return subscriber;
    }

    public async Task<ReceivedMessage> WaitForAsync(Func<ReceivedMessage, bool> predicate, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var match = _received.FirstOrDefault(predicate);
            if (match is not null)
            {
                return match;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No {what} within {timeout.TotalSeconds} s. Received {_received.Count}:\n" +
            string.Join('\n', _received.TakeLast(20).Select(m => $"{m.Topic} {m.Text}")));
    }

    public async Task PublishAsync(string topic, string payload)
    {
        await _client.PublishStringAsync(topic, payload, MqttQualityOfServiceLevel.AtLeastOnce);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        if (_client.IsConnected)
        {
            // Ends the persistent session too, so the broker does not keep queueing for it.
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithSessionExpiryInterval(0).Build());
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private async Task ReconnectLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(200, _stop.Token);
                if (!_client.IsConnected)
                {
                    // Session present: the broker still has our subscription and the messages it queued for us.
                    await _client.ConnectAsync(_options, _stop.Token);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException
                or InvalidOperationException)
            {
                // Broker still down.
            }
        }
    }
}
