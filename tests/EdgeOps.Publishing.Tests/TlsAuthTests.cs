using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeOps.Contract;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Tests.Support;
using EdgeOps.TestSupport.Mosquitto;

namespace EdgeOps.Publishing.Tests;

/// <summary>A Mosquitto that wants TLS, a client certificate from its CA, and a username and password.</summary>
public sealed class SecureBrokerFixture : IAsyncLifetime
{
    public const string User = "gateway";
    public const string Password = "s3cret-Pa55-never-logged";

    public TestCertificates Pki { get; private set; } = null!;

    public MosquittoBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Pki = await TestCertificates.CreateAsync();
        Broker = await MosquittoBroker.StartAsync(new MosquittoOptions
        {
            Tls = Pki,
            RequireClientCertificate = true,
            Users = new Dictionary<string, string> { [User] = Password },
        });
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        Directory.Delete(Pki.Directory, recursive: true);
    }
}

[Collection("tls")]
public sealed class TlsAuthTests(SecureBrokerFixture secure) : IClassFixture<SecureBrokerFixture>
{
    private readonly CapturingLoggerFactory _logs = new();

    [Fact]
    public async Task Tls_WithCaClientCertificateAndCredentialsFromEnvironment_Publishes()
    {
        var options = SecureOptions(password: SecureBrokerFixture.Password);
        await using var publisher = Gateways.Create(options, _logs);
        await publisher.StartAsync(CancellationToken.None);
        await publisher.EnqueueAsync(Samples.Event(Samples.Machine(), 1), CancellationToken.None);

        await Gateways.WaitUntilAsync(() => publisher.Outbox.Count == 0, TimeSpan.FromSeconds(15), () => _logs.All + secure.Broker.Log);
        Assert.DoesNotContain(SecureBrokerFixture.Password, _logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_WithCredentialsFileAndPinnedServerCertificate_Publishes()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("edgeops-cred-").FullName, "mqtt.credentials");
        await File.WriteAllTextAsync(file, $"# test\nusername={SecureBrokerFixture.User}\npassword={SecureBrokerFixture.Password}\n");
        using var server = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(secure.Pki.ServerCertificate));
        var pin = Convert.ToHexString(server.GetCertHash(HashAlgorithmName.SHA256));
        var options = SecureOptions(password: null) with
        {
            Credentials = new MqttCredentialsOptions { UsernameVariable = "EDGEOPS_TEST_UNSET_U", PasswordVariable = "EDGEOPS_TEST_UNSET_P", File = file },
        };
        options = options with { Tls = options.Tls with { PinnedCertificateSha256 = pin } };
        await using var publisher = Gateways.Create(options, _logs);
        await publisher.StartAsync(CancellationToken.None);
        await publisher.EnqueueAsync(Samples.Event(Samples.Machine(), 1), CancellationToken.None);

        await Gateways.WaitUntilAsync(() => publisher.Outbox.Count == 0, TimeSpan.FromSeconds(15), () => _logs.All);
    }

    [Fact]
    public async Task WrongPassword_GivesAClearErrorAndKeepsRetryingWithoutCrashingOrLoggingIt()
    {
        const string wrong = "not-the-password-XYZ";
        var options = SecureOptions(password: wrong);
        await using var publisher = Gateways.Create(options, _logs);
        await publisher.StartAsync(CancellationToken.None);
        await publisher.EnqueueAsync(Samples.Event(Samples.Machine(), 1), CancellationToken.None);

        await Gateways.WaitUntilAsync(() => _logs.Lines.Count(l => l.Contains("refused the connection", StringComparison.Ordinal)) >= 3,
            TimeSpan.FromSeconds(20), () => _logs.All);
        var refusal = _logs.Lines.First(l => l.Contains("refused the connection", StringComparison.Ordinal));
        // Mosquitto answers a bad password on MQTT 5 with NotAuthorized (0x87); other brokers say BadUserNameOrPassword.
        Assert.Matches("NotAuthorized|BadUserNameOrPassword", refusal);
        Assert.Contains("EDGEOPS_TEST_P_", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, _logs.All, StringComparison.Ordinal);
        Assert.False(publisher.IsConnected);
        Assert.Equal(1, publisher.Outbox.Count);
    }

    [Fact]
    public async Task BrokerCertificateFromAnotherCa_IsRejectedAndRetried()
    {
        var options = SecureOptions(password: SecureBrokerFixture.Password);
        options = options with { Tls = options.Tls with { CaFile = secure.Pki.OtherCaCertificate } };
        await using var publisher = Gateways.Create(options, _logs);
        await publisher.StartAsync(CancellationToken.None);

        await Gateways.WaitUntilAsync(() => _logs.Lines.Count(l => l.Contains("connection to", StringComparison.Ordinal)
            && l.Contains("failed", StringComparison.Ordinal)) >= 2, TimeSpan.FromSeconds(20), () => _logs.All);
        Assert.False(publisher.IsConnected);
    }

    [Fact]
    public async Task WrongPin_IsRejected()
    {
        var options = SecureOptions(password: SecureBrokerFixture.Password);
        options = options with { Tls = options.Tls with { PinnedCertificateSha256 = new string('A', 64) } };
        await using var publisher = Gateways.Create(options, _logs);
        await publisher.StartAsync(CancellationToken.None);

        await Gateways.WaitUntilAsync(() => _logs.Lines.Any(l => l.Contains("connection to", StringComparison.Ordinal)
            && l.Contains("failed", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), () => _logs.All);
        await Task.Delay(500);
        Assert.False(publisher.IsConnected);
    }

    private MqttOptions SecureOptions(string? password)
    {
        var broker = secure.Broker;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var userVariable = "EDGEOPS_TEST_U_" + suffix;
        var passwordVariable = "EDGEOPS_TEST_P_" + suffix;
        if (password is not null)
        {
            Environment.SetEnvironmentVariable(userVariable, SecureBrokerFixture.User);
            Environment.SetEnvironmentVariable(passwordVariable, password);
        }

        return Gateways.Options(broker) with
        {
            Broker = $"mqtts://127.0.0.1:{broker.Port}",
            Credentials = new MqttCredentialsOptions { UsernameVariable = userVariable, PasswordVariable = passwordVariable },
            Tls = new MqttTlsOptions
            {
                CaFile = secure.Pki.CaCertificate,
                ClientCertificateFile = secure.Pki.ClientCertificate,
                ClientKeyFile = secure.Pki.ClientKey,
            },
        };
    }
}
