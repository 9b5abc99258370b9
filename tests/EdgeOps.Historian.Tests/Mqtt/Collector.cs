using System.Text;
using System.Threading.Channels;
using EdgeOps.Historian.Mqtt;

namespace EdgeOps.Historian.Tests.Mqtt;

/// <summary>What a connection delivered: topic, payload text and the delivery, in arrival order.</summary>
internal sealed class Collector
{
    private readonly Channel<(string Topic, string Payload, MqttDelivery Delivery)> _received =
        Channel.CreateUnbounded<(string, string, MqttDelivery)>();

    public MqttPublishHandler Handler => (topic, payload, delivery) =>
    {
        _received.Writer.TryWrite((topic, Encoding.UTF8.GetString(payload), delivery));
        return ValueTask.CompletedTask;
    };

    /// <summary>The next <paramref name="count"/> messages; throws when they do not come within the timeout.</summary>
    public async Task<List<(string Topic, string Payload, MqttDelivery Delivery)>> TakeAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var result = new List<(string, string, MqttDelivery)>(count);
        try
        {
            while (result.Count < count)
            {
                result.Add(await _received.Reader.ReadAsync(cts.Token));
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Received {result.Count} of {count} messages within {timeout.TotalSeconds:0.#} s.");
        }

        return result;
    }

    /// <summary>Messages that arrived within <paramref name="wait"/> without being waited for.</summary>
    public async Task<int> CountArrivingAsync(TimeSpan wait)
    {
        await Task.Delay(wait);
        var n = 0;
        while (_received.Reader.TryRead(out _))
        {
            n++;
        }

        return n;
    }
}
