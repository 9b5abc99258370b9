using EdgeOps.Gateway.Cli;
using EdgeOps.TestSupport.Mosquitto;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeOps.Gateway.Tests.Mqtt;

/// <summary><c>edgeops mqtt tail --count N</c> against a real Mosquitto holding retained messages.</summary>
public sealed class MqttTailCommandTests : IAsyncLifetime
{
    private const string Prefix = "edgeops/v1/tail-test/area/line";
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(_broker.Host, _broker.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
        for (var i = 1; i <= 6; i++)
        {
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"{Prefix}/m{i}/state")
                .WithPayload($"{{\"seq\":{i}}}").WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }

        await client.DisconnectAsync();
    }

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task Tail_Count_CountsRetainedMessagesAndPrintsNoMore()
    {
        var (code, output, error) = await RunAsync("mqtt", "tail", $"{Prefix}/#", "--broker", $"mqtt://127.0.0.1:{_broker.Port}", "--count", "2");

        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 2, $"--count 2 printed {lines.Length} lines:\n{output}\n{error}");
        Assert.All(lines, l => Assert.Contains(" (retained) {\"seq\":", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tail_CountAboveRetained_PrintsAllRetainedThenLiveUntilTheCount()
    {
        var tail = RunAsync("mqtt", "tail", $"{Prefix}/#", "--broker", $"mqtt://127.0.0.1:{_broker.Port}", "--count", "7");

        // The six retained arrive first; the seventh message is a live one.
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(_broker.Host, _broker.Port).Build());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!tail.IsCompleted && DateTime.UtcNow < deadline)
        {
            await client.PublishStringAsync($"{Prefix}/live/events", "{\"seq\":99}", MqttQualityOfServiceLevel.AtLeastOnce);
            await Task.WhenAny(tail, Task.Delay(200));
        }

        var (code, output, error) = await tail.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 7, $"--count 7 printed {lines.Length} lines:\n{output}\n{error}");
        Assert.Equal(6, lines.Count(l => l.Contains(" (retained) ", StringComparison.Ordinal)));
        Assert.EndsWith($"{Prefix}/live/events {{\"seq\":99}}", lines[^1], StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var found = CommandDispatcher.Find(args) ?? throw new InvalidOperationException("no verb for " + string.Join(' ', args));
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var code = await found.Command.RunAsync(found.Arguments, output, error, timeout.Token);
        return (code, output.ToString(), error.ToString());
    }
}
