using System.Security.Cryptography.X509Certificates;
using EdgeOps.Contract;
using MQTTnet;

namespace EdgeOps.Publishing.Mqtt;

/// <summary>MQTTnet's TLS options from <see cref="MqttTlsOptions"/>, with the checks of <see cref="BrokerTls"/>.</summary>
public static class MqttTlsBuilder
{
    private const string Keys = "EdgeOps:Mqtt:Tls";

    /// <summary>TLS options for <paramref name="host"/>; errors name the config key and file.</summary>
    public static MqttClientTlsOptions Build(MqttTlsOptions options, string host)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ca = BrokerTls.LoadCa(options.CaFile, Keys);
        var pin = BrokerTls.Pin(options);
        var builder = new MqttClientTlsOptionsBuilder()
            .UseTls()
            .WithTargetHost(options.TargetHost ?? host)
            .WithSslProtocols(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13)
            .WithCertificateValidationHandler(e => BrokerTls.Validate(e.Certificate, e.SslPolicyErrors, ca, pin));

        if (options.ClientCertificateFile is { } certFile)
        {
            builder.WithClientCertificates(new X509Certificate2Collection(BrokerTls.LoadClientCertificate(certFile, options.ClientKeyFile, Keys)));
        }

        return builder.Build();
    }
}
