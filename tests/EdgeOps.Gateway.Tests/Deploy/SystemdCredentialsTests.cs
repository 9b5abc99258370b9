using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Mqtt;
using Microsoft.Extensions.Configuration;
using MQTTnet;

namespace EdgeOps.Gateway.Tests.Deploy;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SystemdCredentialsTests
{
    /// <summary>
    /// The unit's second way to hand over secrets, end to end: files named like the keys docs/deploy.md gives
    /// (<c>EdgeOps__Mqtt__Username</c>, <c>EdgeOps__Mqtt__Password</c>, one with the <c>edgeops_</c> prefix systemd adds)
    /// in <c>$CREDENTIALS_DIRECTORY</c> log the real gateway into a Mosquitto that refuses anyone else. A key that
    /// merely exists in the configuration proves nothing: the gateway once read other keys than the docs named.
    /// </summary>
    [Fact]
    public async Task Credentials_FilesNamedAsDocumented_LogTheGatewayIntoABrokerThatRequiresAPassword()
    {
        using var broker = await AuthenticatingBroker.StartAsync();
        var credentials = Directory.CreateTempSubdirectory("edgeops-creds-").FullName;
        var data = Directory.CreateTempSubdirectory("edgeops-creds-data-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(credentials, "EdgeOps__Mqtt__Username"), AuthenticatingBroker.UserName + "\n");
            File.WriteAllText(Path.Combine(credentials, "edgeops_EdgeOps__Mqtt__Password"), AuthenticatingBroker.Password + "\n");
            await using var subscriber = await TestSubscriber.StartAsync("127.0.0.1", broker.Port, "edgeops/#",
                o => o.WithCredentials(AuthenticatingBroker.UserName, AuthenticatingBroker.Password));

            using var gateway = await GatewayProcess.StartAsync(
            [
                "--data", data,
                $"--EdgeOps:Mqtt:Broker=mqtt://127.0.0.1:{broker.Port}",
                "--EdgeOps:GatewayId=creds-gw",
                "--EdgeOps:ConsoleSummaryInterval=00:00:00",
            ], new Dictionary<string, string?> { ["CREDENTIALS_DIRECTORY"] = credentials });

            // The birth on the status topic: connected with the files' login; the payload names the broker in use.
            var status = await subscriber.WaitForAsync(m => m.Topic == "edgeops/v1/plant-leipzig/_gateways/creds-gw/status"
                && m.Text.Contains("\"online\"", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the gateway's birth");
            Assert.Equal($"mqtt://127.0.0.1:{broker.Port}", status.Json.GetProperty("broker").GetString());
            Assert.DoesNotContain(AuthenticatingBroker.Password, gateway.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(credentials, recursive: true);
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void Credentials_LoadedFromDirectory_BecomeConfigurationKeysWithoutPrefixAndTrailingNewline()
    {
        var dir = Directory.CreateTempSubdirectory("edgeops-creds-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "edgeops_EdgeOps__Mqtt__Password"), "s3cret\n");
            File.WriteAllText(Path.Combine(dir, "EdgeOps__Mqtt__Username"), "line-1");

            var configuration = new ConfigurationBuilder().AddSystemdCredentials(dir).Build();

            // Bound as the gateway binds them, and resolved into the login it connects with.
            var mqtt = configuration.GetSection("EdgeOps:Mqtt").Get<EdgeOps.Publishing.Mqtt.MqttOptions>()!;
            var login = EdgeOps.Publishing.Mqtt.MqttCredentials.Resolve(mqtt, _ => null)!;
            Assert.Equal("line-1", login.Username);
            Assert.Equal("s3cret", login.Password);
            Assert.Empty(EdgeOps.Gateway.Hosting.GatewaySettings.Check(configuration, null, _ => null));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Credentials_WithoutDirectory_AddNothing()
    {
        var configuration = new ConfigurationBuilder()
            .AddSystemdCredentials(Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N")))
            .Build();

        Assert.Empty(configuration.AsEnumerable());
    }
}
