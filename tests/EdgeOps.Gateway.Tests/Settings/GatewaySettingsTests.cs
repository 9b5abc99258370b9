using EdgeOps.Gateway.Hosting;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Processes;
using EdgeOps.Publishing.Sparkplug;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeOps.Gateway.Tests.Settings;

/// <summary>
/// Issue 15: every key under <c>EdgeOps:</c> is one an options type binds, or the start stops naming it; in production
/// the embedded broker and the simulator are opt-in. Through <see cref="GatewaySettings.Check"/> for the messages, and
/// through the real <c>edgeops</c> process for what a plant engineer sees (exit code, stderr, a gateway that starts).
/// </summary>
public sealed class GatewaySettingsTests : IDisposable
{
    private static readonly Func<string, string?> NotProduction = _ => null;
    private readonly string _data = Directory.CreateTempSubdirectory("edgeops-settings-").FullName;

    [Fact]
    public void Check_MisspeltKeys_NameTheKeyWhereItWasSetAndTheClosestKnownKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["EdgeOps:Mqtt:Brokr"] = "mqtt://broker:1883",
                ["EdgeOps:Mqtt:Outbox:MaxByte"] = "1000",
                ["EdgeOps:Web:Users:0:Nme"] = "anna",
                ["EdgeOps:ChekpointInterval"] = "00:00:01",
                ["EdgeOps:Line:Path"] = "x",
                ["EdgeOps:Nonsense"] = "1",
                ["Logging:LogLevel:Default"] = "Information",   // outside EdgeOps: not ours to judge
            })
            .Build();

        var errors = GatewaySettings.Check(configuration, null, NotProduction);

        Assert.Contains(errors, e => e.EndsWith("EdgeOps:Mqtt:Brokr: unknown key 'Brokr' (did you mean 'EdgeOps:Mqtt:Broker'?)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.EndsWith("EdgeOps:Mqtt:Outbox:MaxByte: unknown key 'MaxByte' (did you mean 'EdgeOps:Mqtt:Outbox:MaxBytes'?)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.EndsWith("EdgeOps:Web:Users:0:Nme: unknown key 'Nme' (did you mean 'EdgeOps:Web:Users:0:Name'?)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.EndsWith("EdgeOps:ChekpointInterval: unknown key 'ChekpointInterval' (did you mean 'EdgeOps:CheckpointInterval'?)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.EndsWith("EdgeOps:Line:Path: unknown key 'Path' (EdgeOps:Line is a single value, not a section)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.EndsWith("EdgeOps:Nonsense: unknown key 'Nonsense'", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("Logging", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_EveryKeyTheDocsAndTemplatesUse_IsKnown()
    {
        // The keys of the README's settings table, deploy/debian/edgeops.env and the unit, with values that bind.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["EdgeOps:Line"] = "line.yaml", ["EdgeOps:DataDirectory"] = "data", ["EdgeOps:GatewayId"] = "gw-1",
                ["EdgeOps:CheckpointInterval"] = "00:00:01", ["EdgeOps:TickInterval"] = "00:00:00.100", ["EdgeOps:SignalQueueCapacity"] = "65536",
                ["EdgeOps:Record"] = "r.jsonl", ["EdgeOps:ConsoleSummaryInterval"] = "00:00:05",
                ["EdgeOps:Simulator:Speed"] = "10", ["EdgeOps:Simulator:Start"] = "2026-11-23T05:30:00Z", ["EdgeOps:Simulator:Seed"] = "1",
                ["EdgeOps:Simulator:AllowInProduction"] = "true", ["EdgeOps:Diagnostics:WedgeEngineAfter"] = "00:01:00",
                ["EdgeOps:Mqtt:Enabled"] = "true", ["EdgeOps:Mqtt:Broker"] = "mqtt://broker.plant.local:1883", ["EdgeOps:Mqtt:EmbeddedPort"] = "1884",
                ["EdgeOps:Mqtt:AllowEmbeddedInProduction"] = "false", ["EdgeOps:Mqtt:Username"] = "line-1", ["EdgeOps:Mqtt:Password"] = "pw",
                ["EdgeOps:Mqtt:Tls:CaFile"] = "/etc/edgeops/ca.pem", ["EdgeOps:Mqtt:Credentials:File"] = null,
                ["EdgeOps:Mqtt:Outbox:MaxBytes"] = "1000000", ["EdgeOps:Mqtt:CommandFilters:0"] = "edgeops/v1/+/+/+/+/cmd/#",
                ["EdgeOps:Web:Urls"] = "http://127.0.0.1:8080", ["EdgeOps:Web:Users:0:Name"] = "anna", ["EdgeOps:Web:Users:0:Token"] = "0123456789abcdef",
                ["EdgeOps:Influx:Enabled"] = "false", ["EdgeOps:Influx:Url"] = "http://127.0.0.1:8086",
                ["EdgeOps:Condition:MaintenancePublishInterval"] = "00:01:00",
            })
            .Build();

        Assert.Empty(GatewaySettings.Check(configuration, null, NotProduction));
    }

    [Fact]
    public void Check_KeysTheGatewayFillsIn_SayWhereTheyAreSet()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["EdgeOps:Mqtt:GatewayId"] = "gw", ["EdgeOps:Mqtt:Site"] = "leipzig" })
            .Build();

        var errors = GatewaySettings.Check(configuration, null, NotProduction);

        Assert.Contains(errors, e => e.EndsWith("EdgeOps:Mqtt:GatewayId: not a setting; the gateway id (also the MQTT client id) is EdgeOps:GatewayId", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.EndsWith("EdgeOps:Mqtt:Site: not a setting; the site is the line file's 'site:'", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_ValueThatDoesNotConvert_NamesTheKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["EdgeOps:TickInterval"] = "fast", ["EdgeOps:Mqtt:Broker"] = "tcp://x" })
            .Build();

        var errors = GatewaySettings.Check(configuration, null, NotProduction);

        Assert.Contains(errors, e => e.Contains("EdgeOps:TickInterval", StringComparison.Ordinal) && e.Contains("fast", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("EdgeOps:Mqtt:Broker = 'tcp://x' is not", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_ValuesOutOfRange_EachValidatorNamesItsKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["EdgeOps:TickInterval"] = "00:00:10",                       // GatewayOptionsValidator ([OptionsValidator], generated)
                ["EdgeOps:SignalQueueCapacity"] = "10",
                ["EdgeOps:Condition:MaintenancePublishInterval"] = "00:00:00", // ConditionOptionsValidator
                ["EdgeOps:Web:Urls"] = "http://0.0.0.0:8080",                  // WebOptionsValidator
                ["EdgeOps:Mqtt:Password"] = "pw",                              // MqttOptionsValidator
            })
            .Build();

        var errors = GatewaySettings.Check(configuration, null, NotProduction);

        Assert.Contains(errors, e => e.StartsWith("EdgeOps:TickInterval: ", StringComparison.Ordinal) && e.Contains("must be between", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("EdgeOps:SignalQueueCapacity: ", StringComparison.Ordinal) && e.Contains("1024", StringComparison.Ordinal));
        Assert.Contains("EdgeOps:Condition:MaintenancePublishInterval must be positive, found 00:00:00.", errors);
        Assert.Contains(errors, e => e.StartsWith("EdgeOps:Web:Urls is 'http://0.0.0.0:8080', beyond 127.0.0.1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("EdgeOps:Mqtt:Password is set but EdgeOps:Mqtt:Username is empty", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_StorageAndSparkplugOutOfRange_NameTheirKeysAndValues()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["EdgeOps:Storage:MinFreeBytes"] = "-1",                       // StorageOptionsValidator
                ["EdgeOps:Mqtt:Broker"] = "mqtt://broker.plant.local:1883",
                ["EdgeOps:Sparkplug:Enabled"] = "true",                         // SparkplugOptionsValidator
                ["EdgeOps:Sparkplug:MinInterval"] = "02:00:00",
                ["EdgeOps:Sparkplug:GroupId"] = "a/b",
            })
            .Build();

        var errors = GatewaySettings.Check(configuration, null, NotProduction);

        Assert.Contains("EdgeOps:Storage:MinFreeBytes = -1: must be 0 (guard off) or more bytes.", errors);
        Assert.Contains("EdgeOps:Sparkplug:MinInterval = 02:00:00 must be between 00:00:00 and 01:00:00", errors);
        Assert.Contains(errors, e => e.StartsWith("EdgeOps:Sparkplug:GroupId = 'a/b' is not a Sparkplug id", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_ValidatedOnStart_FailWithTheSameMessages()
    {
        // The host's options (AddGatewayOptions, AddOptionsWithValidateOnStart) run the validators the check runs:
        // a host built without the check still stops naming the key.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["EdgeOps:Sparkplug:Enabled"] = "true",
                ["EdgeOps:Sparkplug:MinInterval"] = "-00:00:01",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddGatewayOptions(configuration);
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SparkplugOptions>>().Value);

        // Embedded broker (the default) and a negative interval: both named, with the values found.
        Assert.Contains(failure.Failures, f => f.StartsWith("EdgeOps:Sparkplug:Enabled = true needs an external broker", StringComparison.Ordinal));
        Assert.Contains("EdgeOps:Sparkplug:MinInterval = -00:00:01 must be between 00:00:00 and 01:00:00", failure.Failures);
    }

    [Fact]
    public void Check_PasswordOnTheCommandLine_IsRefused()
    {
        var configuration = new ConfigurationBuilder()
            .AddCommandLine(["--EdgeOps:Mqtt:Username=line-1", "--EdgeOps:Mqtt:Password=visible-in-ps"])
            .Build();

        var error = Assert.Single(GatewaySettings.Check(configuration, null, NotProduction));

        Assert.StartsWith("EdgeOps:Mqtt:Password is on the command line, where ps shows it", error, StringComparison.Ordinal);
        Assert.DoesNotContain("visible-in-ps", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INVOCATION_ID", "0123abcd", "INVOCATION_ID is set")]
    [InlineData("NOTIFY_SOCKET", "/run/systemd/notify", "NOTIFY_SOCKET is set")]
    [InlineData("DOTNET_ENVIRONMENT", "Production", "DOTNET_ENVIRONMENT=Production")]
    public void Check_InProduction_EmbeddedBrokerAndSimulatorNeedTheirOptIn(string variable, string value, string why)
    {
        var line = LineFile.Load(RepoPaths.File("firmware-config", "lines", "demo-line.yaml")).File!.Definition;
        string? Environment(string name) => name == variable ? value : null;
        var plain = new ConfigurationBuilder().Build();
        var optedIn = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["EdgeOps:Mqtt:AllowEmbeddedInProduction"] = "true",
                ["EdgeOps:Simulator:AllowInProduction"] = "true",
            })
            .Build();

        var errors = GatewaySettings.Check(plain, line, Environment);

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("EdgeOps:Mqtt:Broker is 'embedded' in production", StringComparison.Ordinal)
            && e.Contains(why, StringComparison.Ordinal) && e.Contains("EdgeOps:Mqtt:AllowEmbeddedInProduction=true", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("EdgeOps:Simulator:AllowInProduction is not set", StringComparison.Ordinal)
            && e.Contains(why, StringComparison.Ordinal));
        Assert.Empty(GatewaySettings.Check(optedIn, line, Environment));
        Assert.Empty(GatewaySettings.Check(plain, line, NotProduction));
    }

    [Fact]
    public async Task Gateway_WithTheOldTemplatesKey_StopsNamingItAndWhereItWasSet()
    {
        // What deploy/debian/edgeops.env used to say: ignored silently, the gateway stayed on its embedded broker.
        using var gateway = ManagedProcess.Start("dotnet",
            [GatewayProcess.DllPath, "--data", _data, "--EdgeOps:Mqtt:Brokr=mqtt://127.0.0.1:1883"],
            RepoPaths.Root, new Dictionary<string, string?> { ["EdgeOps__Mqtt__Host"] = "broker.plant.local" });

        await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(gateway.ExitCode == 2, gateway.Output);
        Assert.Contains("edgeops: environment variable EdgeOps__Mqtt__Host: EdgeOps:Mqtt:Host: not a setting; the broker is one URL: EdgeOps:Mqtt:Broker=mqtt://host:1883", gateway.Output, StringComparison.Ordinal);
        Assert.Contains("edgeops: command line --EdgeOps:Mqtt:Brokr: EdgeOps:Mqtt:Brokr: unknown key 'Brokr' (did you mean 'EdgeOps:Mqtt:Broker'?)", gateway.Output, StringComparison.Ordinal);
        Assert.Contains("2 error(s) in the settings; not starting", gateway.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_data, "outbox.db")), "nothing may be created before the settings are right");
    }

    [Fact]
    public async Task Gateway_UnderSystemdWithoutOptIn_StopsNamingTheKeys_AndStartsWithThem()
    {
        var underSystemd = new Dictionary<string, string?> { ["INVOCATION_ID"] = "5f2b0c1d9e8a4b7c" };
        using (var refused = ManagedProcess.Start("dotnet", [GatewayProcess.DllPath, "--data", _data], RepoPaths.Root, underSystemd))
        {
            await refused.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.True(refused.ExitCode == 2, refused.Output);
            Assert.Contains("EdgeOps:Mqtt:AllowEmbeddedInProduction=true", refused.Output, StringComparison.Ordinal);
            Assert.Contains("EdgeOps:Simulator:AllowInProduction is not set", refused.Output, StringComparison.Ordinal);
        }

        using var gateway = await GatewayProcess.StartAsync(
            ["--data", _data, "--EdgeOps:Mqtt:AllowEmbeddedInProduction=true", "--EdgeOps:Simulator:AllowInProduction=true",
                $"--EdgeOps:Mqtt:EmbeddedPort={FreePort.Next()}", "--EdgeOps:ConsoleSummaryInterval=00:00:00"],
            underSystemd);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.WebPort}") };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var body = string.Empty;
        while (DateTime.UtcNow < deadline && !body.Contains("mqtt: ready", StringComparison.Ordinal))
        {
            body = await (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).Content.ReadAsStringAsync();
            await Task.Delay(200);
        }

        // /readyz says which broker is in use: "ready" on the embedded broker is visible as such.
        Assert.Contains("mqtt: ready (broker connected, outbox draining; broker embedded)", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateSettings_ReadsTheEnvironmentAsTheServiceDoes()
    {
        var bad = ManagedProcess.Start("dotnet", [GatewayProcess.DllPath, "validate", "--settings"], RepoPaths.Root,
            new Dictionary<string, string?> { ["EdgeOps__Mqtt__Brokr"] = "mqtt://broker.plant.local:1883", ["DOTNET_ENVIRONMENT"] = "Production" });
        using (bad)
        {
            await bad.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.True(bad.ExitCode == 1, bad.Output);
            Assert.Contains("environment variable EdgeOps__Mqtt__Brokr: EdgeOps:Mqtt:Brokr: unknown key 'Brokr' (did you mean 'EdgeOps:Mqtt:Broker'?)", bad.Output, StringComparison.Ordinal);
            // Production without a broker: reported in the same run, every problem at once.
            Assert.Contains("EdgeOps:Mqtt:Broker is 'embedded' in production (DOTNET_ENVIRONMENT=Production)", bad.Output, StringComparison.Ordinal);
            Assert.Contains("EdgeOps:Simulator:AllowInProduction is not set", bad.Output, StringComparison.Ordinal);
            Assert.Contains("settings: 3 error(s)", bad.Output, StringComparison.Ordinal);
        }

        using var good = ManagedProcess.Start("dotnet", [GatewayProcess.DllPath, "validate", "--settings"], RepoPaths.Root,
            new Dictionary<string, string?>
            {
                ["EdgeOps__Mqtt__Broker"] = "mqtt://broker.plant.local:1883",
                ["EdgeOps__Mqtt__Username"] = "line-1-gateway",
                ["EdgeOps__Mqtt__Password"] = "never-printed",
                ["EdgeOps__Simulator__AllowInProduction"] = "true",
                ["DOTNET_ENVIRONMENT"] = "Production",
            });
        await good.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(good.ExitCode == 0, good.Output);
        Assert.Contains("OK settings: broker mqtt://broker.plant.local:1883 as 'line-1-gateway'", good.Output, StringComparison.Ordinal);
        Assert.Contains("DOTNET_ENVIRONMENT=Production", good.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("never-printed", good.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
