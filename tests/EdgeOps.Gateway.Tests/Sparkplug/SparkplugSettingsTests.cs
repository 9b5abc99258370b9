using EdgeOps.Gateway.Hosting;
using Microsoft.Extensions.Configuration;

namespace EdgeOps.Gateway.Tests.Sparkplug;

/// <summary><c>EdgeOps:Sparkplug:*</c> and <c>EdgeOps:Mqtt:Json:Enabled</c> through the start-up settings check.</summary>
public sealed class SparkplugSettingsTests
{
    private static readonly Func<string, string?> NotProduction = _ => null;

    [Fact]
    public void Check_EverySparkplugKeyTheReadmeNames_IsKnownAndValid()
    {
        var errors = Check(new()
        {
            ["EdgeOps:Mqtt:Broker"] = "mqtt://broker.plant.local:1883",
            ["EdgeOps:Mqtt:Json:Enabled"] = "false",
            ["EdgeOps:Sparkplug:Enabled"] = "true",
            ["EdgeOps:Sparkplug:GroupId"] = "leipzig-press",
            ["EdgeOps:Sparkplug:EdgeNodeId"] = "gw-7",
            ["EdgeOps:Sparkplug:PrimaryHostId"] = "scada",
            ["EdgeOps:Sparkplug:MinInterval"] = "00:00:02",
            ["EdgeOps:Sparkplug:ClientId"] = "gw-7-spb",
            ["EdgeOps:Sparkplug:OutboxPath"] = "/var/lib/edgeops/spb.db",
        });

        Assert.Empty(errors);
    }

    [Fact]
    public void Check_BadSparkplugSettings_NameTheKeyAndTheValue()
    {
        var errors = Check(new()
        {
            ["EdgeOps:Sparkplug:Enabled"] = "true",           // with the default embedded broker
            ["EdgeOps:Sparkplug:GroupId"] = "plant/press",
            ["EdgeOps:Sparkplug:MinInterval"] = "-00:00:01",
            ["EdgeOps:Sparkplug:PrimaryHost"] = "scada",
        });

        Assert.Contains(errors, e => e.StartsWith("EdgeOps:Sparkplug:Enabled = true needs an external broker (EdgeOps:Mqtt:Broker=mqtt://host:1883)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e == "EdgeOps:Sparkplug:GroupId = 'plant/press' is not a Sparkplug id: it must be non-empty and contain no '/', '+', '#'");
        Assert.Contains(errors, e => e.StartsWith("EdgeOps:Sparkplug:MinInterval = -00:00:01 must be between", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.EndsWith("EdgeOps:Sparkplug:PrimaryHost: unknown key 'PrimaryHost' (did you mean 'EdgeOps:Sparkplug:PrimaryHostId'?)", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_SparkplugWithoutMqtt_SaysItNeedsTheMqttSettings()
    {
        var errors = Check(new() { ["EdgeOps:Mqtt:Enabled"] = "false", ["EdgeOps:Sparkplug:Enabled"] = "true" });

        Assert.Contains(errors, e => e.StartsWith("EdgeOps:Sparkplug:Enabled = true needs EdgeOps:Mqtt:Enabled = true", StringComparison.Ordinal));
    }

    private static IReadOnlyList<string> Check(Dictionary<string, string?> values) =>
        GatewaySettings.Check(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), null, NotProduction);
}
