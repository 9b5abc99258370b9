using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeOps.Historian.Tests.Configuration;

/// <summary>Issue 15: a key under <c>Historian:</c> that nothing binds stops the start, naming it with a did-you-mean.</summary>
public sealed class HistorianUnknownSettingsTests
{
    [Fact]
    public async Task Start_WithMisspeltKeys_FailsNamingEachKeyAndTheClosestKnownKey()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Historian:Influx:Url"] = "http://127.0.0.1:8086",
            ["Historian:Influx:Org"] = "edgeops",
            ["Historian:Influx:Bucket"] = "edgeops",
            ["Historian:Influx:Tokn"] = "secret",
            ["Historian:Mqtt:Hst"] = "broker.plant.local",
            ["Historian:Mqtt:Tls:CAFile"] = "/etc/ca.pem",          // case-insensitive, as .NET configuration: known
            ["Historian:Mqtt:SubscriptionTopic"] = "edgeops/#",     // computed, not a setting
        });
        builder.AddHistorian();
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        var message = failure.Message;
        Assert.Contains("Historian:Influx:Tokn: unknown key 'Tokn' (did you mean 'Historian:Influx:Token'?)", message, StringComparison.Ordinal);
        Assert.Contains("Historian:Mqtt:Hst: unknown key 'Hst' (did you mean 'Historian:Mqtt:Host'?)", message, StringComparison.Ordinal);
        Assert.Contains("Historian:Mqtt:SubscriptionTopic: unknown key 'SubscriptionTopic'", message, StringComparison.Ordinal);
        Assert.DoesNotContain("CAFile", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShippedAppsettings_HasNoUnknownKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(EdgeOps.TestSupport.RepoPaths.File("src", "EdgeOps.Historian", "appsettings.json"), optional: false)
            .Build();

        var result = new HistorianUnknownSettingsValidator(configuration).Validate(null, new HistorianOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }
}
