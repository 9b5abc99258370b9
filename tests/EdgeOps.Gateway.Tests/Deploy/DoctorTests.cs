using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using EdgeOps.Gateway.Cli;
using EdgeOps.Gateway.Doctor;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Gateway.Tests.Deploy;

/// <summary>
/// `edgeops doctor` on a scratch device: a fake /dev, its own passwd and group, a closed port for the broker,
/// a clock before the build date. Each failure must say how to fix it.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class DoctorTests : IDisposable
{
    private const uint ServiceUid = 4242;
    private readonly string _base = Directory.CreateTempSubdirectory("edgeops-doctor-").FullName;

    public DoctorTests()
    {
        Directory.CreateDirectory(Dev);
        Directory.CreateDirectory(Etc);
        Directory.CreateDirectory(Data);
        File.SetUnixFileMode(Data, (UnixFileMode)0b111_111_111);
        File.WriteAllText(Path.Combine(Etc, "passwd"), $"root:x:0:0::/root:/bin/sh\nedgeops:x:{ServiceUid}:{ServiceUid}::/var/lib/edgeops:/usr/sbin/nologin\n");
        WriteGroups(gpioGid: 4243);
    }

    private string Dev => Path.Combine(_base, "dev");

    private string Etc => Path.Combine(_base, "etc");

    private string Data => Path.Combine(_base, "data");

    private DoctorSettings Settings => new()
    {
        DevDirectory = Dev,
        EtcDirectory = Etc,
        DataDirectory = Data,
        MinFreeBytes = 1024,
        ClockSynchronized = () => true,
        NetworkTimeout = TimeSpan.FromSeconds(3),
    };

    [Fact]
    public async Task GpioChip_WhenServiceUserHasNoAccess_FailsWithUdevFix()
    {
        var chip = Chip((UnixFileMode)0b110_000_000);

        var result = Assert.Single(await DeviceAccessCheck.Gpio.RunAsync(Settings, CancellationToken.None));

        Assert.Equal(DoctorStatus.Fail, result.Status);
        Assert.Equal(chip, result.Subject);
        Assert.Contains("'edgeops' cannot open it", result.Detail, StringComparison.Ordinal);
        Assert.Contains("99-edgeops.rules", result.Fix, StringComparison.Ordinal);
        Assert.Contains("usermod -aG gpio edgeops", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GpioChip_WhenGroupGpioOwnsItRwAndUserIsMember_Passes()
    {
        var chip = Chip((UnixFileMode)0b110_110_000);
        WriteGroups(gpioGid: UnixFileOwner.Read(chip)!.Gid);

        var result = Assert.Single(await DeviceAccessCheck.Gpio.RunAsync(Settings, CancellationToken.None));

        Assert.True(result.Status == DoctorStatus.Pass, result.ToString());
    }

    [Fact]
    public async Task GpioChip_WhenGroupGpioOwnsItButUserIsNotMember_FailsWithUsermodFix()
    {
        var chip = Chip((UnixFileMode)0b110_110_000);
        WriteGroups(gpioGid: UnixFileOwner.Read(chip)!.Gid, members: "");

        var result = Assert.Single(await DeviceAccessCheck.Gpio.RunAsync(Settings, CancellationToken.None));

        Assert.Equal(DoctorStatus.Fail, result.Status);
        Assert.Equal("sudo usermod -aG gpio edgeops (then restart the service)", result.Fix);
    }

    [Fact]
    public async Task I2cBus_WhenConfiguredBusIsMissing_FailsWithEnableI2cFix()
    {
        var result = Assert.Single(await DeviceAccessCheck.I2c.RunAsync(Settings with { I2cBuses = [1] }, CancellationToken.None));

        Assert.Equal(DoctorStatus.Fail, result.Status);
        Assert.Contains("dtparam=i2c_arm=on", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Device_WhenServiceUserDoesNotExist_FailsWithInstallFix()
    {
        Chip((UnixFileMode)0b110_110_110);

        var result = Assert.Single(await DeviceAccessCheck.Gpio.RunAsync(Settings with { ServiceUser = "nobody-here" }, CancellationToken.None));

        Assert.Equal(DoctorStatus.Fail, result.Status);
        Assert.Contains("install.sh", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broker_WhenNothingListens_FailsWithStartBrokerFix()
    {
        var closed = FreePort.Next();

        var result = Assert.Single(await new BrokerCheck().RunAsync(
            Settings with { Brokers = [new BrokerEndpoint("127.0.0.1", closed)] }, CancellationToken.None));

        Assert.Equal(DoctorStatus.Fail, result.Status);
        Assert.Contains("no TCP connection", result.Detail, StringComparison.Ordinal);
        Assert.Contains("start the broker", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broker_WithRightAndWrongCredentials_PassesAndFailsWithCredentialsFix()
    {
        using var broker = await AuthenticatingBroker.StartAsync();
        var right = new BrokerEndpoint("127.0.0.1", broker.Port, AuthenticatingBroker.UserName, AuthenticatingBroker.Password);
        var wrong = right with { Password = "guess" };

        var results = await new BrokerCheck().RunAsync(Settings with { Brokers = [right, wrong] }, CancellationToken.None);

        Assert.True(results[0].Status == DoctorStatus.Pass, results[0].ToString());
        Assert.Equal(DoctorStatus.Fail, results[1].Status);
        Assert.Contains("CONNECT refused", results[1].Detail, StringComparison.Ordinal);
        Assert.Contains("MQTT user and password", results[1].Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpcUa_WhenNothingListens_FailsWithEndpointFix()
    {
        var closed = FreePort.Next();

        var result = Assert.Single(await new OpcUaEndpointCheck().RunAsync(
            Settings with { OpcUaEndpoints = [new DoctorOpcUaEndpoint(new Uri($"opc.tcp://127.0.0.1:{closed}/plc"))] }, CancellationToken.None));

        Assert.Equal(DoctorStatus.Fail, result.Status);
        Assert.Contains("port 4840", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpcUa_WhenThePortIsNotAnOpcUaServer_FailsSayingSo()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            await stream.ReadAtLeastAsync(new byte[256], 8);
            await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray());
        });

        var result = Assert.Single(await new OpcUaEndpointCheck().RunAsync(
            Settings with { OpcUaEndpoints = [new DoctorOpcUaEndpoint(new Uri($"opc.tcp://127.0.0.1:{port}"))] }, CancellationToken.None));
        await server;

        Assert.Equal(DoctorStatus.Fail, result.Status);
        Assert.Contains("not an OPC UA server reply", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clock_BeforeBuildDate_FailsWithTimeSyncFix()
    {
        var settings = Settings with { Time = new FixedTime(BuildInfo.BuildDate.AddDays(-3)) };

        var results = await new ClockCheck().RunAsync(settings, CancellationToken.None);

        var clock = Assert.Single(results, r => r.Status == DoctorStatus.Fail);
        Assert.Contains("before this build's date", clock.Detail, StringComparison.Ordinal);
        Assert.Contains("timedatectl", clock.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clock_AfterBuildDateButNotSynchronised_Warns()
    {
        var settings = Settings with { Time = new FixedTime(BuildInfo.BuildDate.AddDays(1)), ClockSynchronized = () => false };

        var results = await new ClockCheck().RunAsync(settings, CancellationToken.None);

        var result = Assert.Single(results);
        Assert.Equal(DoctorStatus.Warn, result.Status);
        Assert.Contains("set-ntp true", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildDate_IsEmbeddedInTheAssembly()
    {
        Assert.True(BuildInfo.BuildDate > new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), BuildInfo.BuildDate.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Disk_WhenFreeSpaceIsBelowTheOutboxNeed_FailsWithFreeSpaceFix()
    {
        var result = Assert.Single(await new DiskSpaceCheck().RunAsync(Settings with { MinFreeBytes = long.MaxValue / 4 }, CancellationToken.None));

        Assert.Equal(DoctorStatus.Fail, result.Status);
        Assert.Contains("free space", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disk_WhenDataDirectoryIsMissing_FailsWithInstallFix()
    {
        var result = Assert.Single(await new DiskSpaceCheck().RunAsync(Settings with { DataDirectory = Path.Combine(_base, "nope") }, CancellationToken.None));

        Assert.Equal(DoctorStatus.Fail, result.Status);
        Assert.Contains("install.sh", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_OnScratchDeviceWithFailures_PrintsEachFixAndExitsOne()
    {
        Chip((UnixFileMode)0b110_000_000);
        var closed = FreePort.Next();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await new DoctorCommand().RunAsync(
            ["--dev", Dev, "--etc", Etc, "--data", Data, "--min-free-mb", "1", "--broker", $"127.0.0.1:{closed}"],
            output, error, CancellationToken.None);

        var text = output.ToString();
        Assert.True(exit == 1, text + error);
        Assert.Contains("FAIL  gpio", text, StringComparison.Ordinal);
        Assert.Contains("FAIL  broker", text, StringComparison.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("FAIL", StringComparison.Ordinal))
            {
                Assert.StartsWith("      fix: ", lines[i + 1], StringComparison.Ordinal);
            }
        }

        Assert.Contains("NOT ready for go-live", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_WithUnknownOption_ExitsTwoWithUsage()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await new DoctorCommand().RunAsync(["--bogus"], output, error, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Contains("unknown option '--bogus'", error.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);

    private string Chip(UnixFileMode mode)
    {
        var chip = Path.Combine(Dev, "gpiochip0");
        File.WriteAllText(chip, string.Empty);
        File.SetUnixFileMode(chip, mode);
        return chip;
    }

    private void WriteGroups(uint gpioGid, string members = "edgeops") =>
        File.WriteAllText(Path.Combine(Etc, "group"), $"gpio:x:{gpioGid}:{members}\nedgeops:x:{ServiceUid}:\n");

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
