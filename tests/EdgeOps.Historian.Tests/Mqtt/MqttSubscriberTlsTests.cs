using EdgeOps.Contract;
using EdgeOps.Historian.Mqtt;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.TestSupport.Mosquitto;
using MQTTnet;

namespace EdgeOps.Historian.Tests.Mqtt;

/// <summary>The historian's subscriber over TLS to a real Mosquitto that wants a client certificate from its CA.</summary>
public sealed class MqttSubscriberTlsTests
{
    private const string Keys = "Historian:Mqtt:Tls";

    [Fact]
    public async Task Tls_WithTheBrokersCaAndAClientCertificate_ReceivesAndAcknowledges()
    {
        var pki = await TestCertificates.CreateAsync();
        try
        {
            await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = pki, RequireClientCertificate = true });
            var tls = new MqttTlsOptions { CaFile = pki.CaCertificate, ClientCertificateFile = pki.ClientCertificate, ClientKeyFile = pki.ClientKey };
            var collector = new Collector();
            await using var connection = await MqttSubscriberConnection.ConnectAsync(Settings(broker, BrokerTls.BuildSsl(tls, broker.Host, Keys)), CancellationToken.None);
            _ = connection.RunAsync(collector.Handler, CancellationToken.None);
            await connection.SubscribeAsync("edgeops/v1/#", 1, TimeSpan.FromSeconds(20), CancellationToken.None);

            using var publisher = new MqttClientFactory().CreateMqttClient();
            await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(broker.Host, broker.Port)
                .WithTlsOptions(MqttTlsBuilder.Build(tls, broker.Host)).WithClientId("tls-publisher").Build());
            await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("edgeops/v1/p/a/l/m/counts").WithPayload("{\"n\":1}")
                .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());

            var received = await collector.TakeAsync(1, TimeSpan.FromSeconds(20));
            Assert.Equal("{\"n\":1}", received[0].Payload);
            received[0].Delivery.Acknowledge();
            await Eventually(() => connection.AcknowledgementsSent == 1);
        }
        finally
        {
            Directory.Delete(pki.Directory, recursive: true);
        }
    }

    [Fact]
    public async Task Tls_TrustingAnotherCa_FailsTheHandshakeNamingTheBroker()
    {
        var pki = await TestCertificates.CreateAsync();
        try
        {
            await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = pki });
            var tls = BrokerTls.BuildSsl(new MqttTlsOptions { CaFile = pki.OtherCaCertificate }, broker.Host, Keys);

            var error = await Assert.ThrowsAsync<IOException>(() => MqttSubscriberConnection.ConnectAsync(Settings(broker, tls), CancellationToken.None));

            Assert.Contains($"TLS handshake with MQTT broker 127.0.0.1:{broker.Port}", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(pki.Directory, recursive: true);
        }
    }

    [Fact]
    public void Tls_WithAnUnreadableCaFile_NamesTheHistoriansKey()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            BrokerTls.BuildSsl(new MqttTlsOptions { CaFile = "/nonexistent/ca.pem" }, "broker", Keys));

        Assert.StartsWith("Historian:Mqtt:Tls:CaFile '/nonexistent/ca.pem' could not be read", error.Message, StringComparison.Ordinal);
    }

    private static MqttSubscriberSettings Settings(MosquittoBroker broker, System.Net.Security.SslClientAuthenticationOptions tls) => new()
    {
        Host = broker.Host,
        Port = broker.Port,
        ClientId = "tls-" + Guid.NewGuid().ToString("N"),
        Tls = tls,
        Timeout = TimeSpan.FromSeconds(15),
    };

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not reached within 10 s.");
            await Task.Delay(20);
        }
    }
}
