using EdgeOps.Contract;
using EdgeOps.Ingest;

namespace EdgeOps.Historian.Tests.Configuration;

public sealed class HistorianOptionsValidatorTests
{
    [Fact]
    public void Validate_WithBadValues_NamesEachKeyAndTheValueFound()
    {
        var options = new HistorianOptions
        {
            Mqtt = new HistorianMqttOptions { Port = 70000, ClientId = " ", SharedGroup = "a/b", Topic = "$share/x/edgeops/#" },
            Influx = new InfluxOptions { Api = InfluxApiVersion.V2, Url = new Uri("ftp://influx/"), Bucket = null, Org = "o", BatchSize = 0, WritesInFlight = 0 },
        };

        var result = new HistorianOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var message = result.FailureMessage;
        Assert.Contains("Historian:Mqtt:Port must be 1..65535, got 70000", message, StringComparison.Ordinal);
        Assert.Contains("Historian:Mqtt:ClientId is required", message, StringComparison.Ordinal);
        Assert.Contains("Historian:Mqtt:SharedGroup must not contain '/'", message, StringComparison.Ordinal);
        Assert.Contains("Historian:Mqtt:Topic must be a topic filter", message, StringComparison.Ordinal);
        Assert.Contains("Historian:Influx:Url must be an absolute http(s) address, got 'ftp://influx/'", message, StringComparison.Ordinal);
        Assert.Contains("Historian:Influx:Bucket is required", message, StringComparison.Ordinal);
        Assert.Contains("Historian:Influx:BatchSize must be 1..100000, got 0", message, StringComparison.Ordinal);
        Assert.Contains("Historian:Influx:WritesInFlight must be 1..64, got 0", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TlsWithMissingFiles_NamesEachTlsKeyAndFile()
    {
        var options = new HistorianOptions
        {
            Mqtt = new HistorianMqttOptions
            {
                UseTls = true,
                Tls = new EdgeOps.Contract.MqttTlsOptions { CaFile = "/missing/ca.pem", ClientCertificateFile = "/missing/client.pem" },
            },
            Influx = new InfluxOptions { Api = InfluxApiVersion.V1, Url = new Uri("http://influx:8086"), Database = "edgeops" },
        };

        var message = new HistorianOptionsValidator().Validate(null, options).FailureMessage;

        Assert.Contains("Historian:Mqtt:Tls:CaFile '/missing/ca.pem' does not exist", message, StringComparison.Ordinal);
        Assert.Contains("Historian:Mqtt:Tls:ClientCertificateFile '/missing/client.pem' does not exist", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_V1WithoutDatabase_Fails_AndAGoodV1ConfigPasses()
    {
        var bad = new HistorianOptions { Influx = new InfluxOptions { Api = InfluxApiVersion.V1, Url = new Uri("http://influx:8086") } };
        var good = new HistorianOptions { Influx = new InfluxOptions { Api = InfluxApiVersion.V1, Url = new Uri("http://influx:8086"), Database = "edgeops" } };

        Assert.Contains("Historian:Influx:Database is required", new HistorianOptionsValidator().Validate(null, bad).FailureMessage, StringComparison.Ordinal);
        Assert.True(new HistorianOptionsValidator().Validate(null, good).Succeeded);
    }

    [Fact]
    public void SharedGroup_MakesAShareSubscription()
    {
        Assert.Equal("$share/historian/edgeops/v1/#", new HistorianMqttOptions { SharedGroup = "historian" }.SubscriptionTopic);
        Assert.Equal("edgeops/v1/#", new HistorianMqttOptions().SubscriptionTopic);
    }
}
