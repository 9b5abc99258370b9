using System.Text.Json;
using EdgeOps.Gateway.Cli;
using EdgeOps.TestSupport.Mosquitto;
using EdgeOps.TestSupport.Sparkplug;

namespace EdgeOps.Gateway.Tests.Sparkplug;

/// <summary><c>edgeops mqtt tail spBv1.0/#</c> prints Sparkplug B payloads decoded, here one encoded by Eclipse Tahu's encoder.</summary>
public sealed class SparkplugTailTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task Tail_SparkplugTopic_PrintsTheProtobufPayloadAsJson()
    {
        await using var host = await SparkplugHost.StartAsync($"mqtt://127.0.0.1:{_broker.Port}", "g1", "n1");
        var tail = RunAsync("mqtt", "tail", "spBv1.0/g1/DCMD/#", "--broker", $"mqtt://127.0.0.1:{_broker.Port}", "--count", "1");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!tail.IsCompleted && DateTime.UtcNow < deadline)
        {
            await host.DeviceCommandAsync("press", ("Commands/Assign Reason", "String", "jam"), ("Commands/Stop Id", "Int64", 42));
            await Task.WhenAny(tail, Task.Delay(300));
        }

        var (code, output, error) = await tail.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, code);
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single();
        Assert.StartsWith("spBv1.0/g1/DCMD/n1/press {", line, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        var metrics = json.RootElement.GetProperty("metrics").EnumerateArray().ToList();
        Assert.True(metrics.Count == 2, output + error);
        Assert.Equal("Commands/Assign Reason", metrics[0].GetProperty("name").GetString());
        Assert.Equal("String", metrics[0].GetProperty("datatype").GetString());
        Assert.Equal("jam", metrics[0].GetProperty("value").GetString());
        Assert.Equal(42, metrics[1].GetProperty("value").GetInt64());
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
