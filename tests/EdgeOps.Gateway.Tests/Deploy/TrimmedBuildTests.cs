using System.Diagnostics;
using System.Globalization;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Mosquitto;
using EdgeOps.TestSupport.Mqtt;
using EdgeOps.TestSupport.Processes;
using Xunit.Abstractions;

namespace EdgeOps.Gateway.Tests.Deploy;

/// <summary>Publishes the Native AOT linux-x64 gateway once (deploy/publish.sh), for the tests that run it.</summary>
public sealed class TrimmedX64Fixture : IDisposable
{
    public TrimmedX64Fixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("edgeops-trimmed-").FullName;
        var watch = Stopwatch.StartNew();
        // 40 minutes: a Native AOT publish measured 13-27 minutes on the shared 2-core box (docs/PERFORMANCE.md "Deployment").
        Publish = Shell.Run("bash", [RepoPaths.File("deploy", "publish.sh"), "--rid", "linux-x64", "--out", Directory], TimeSpan.FromMinutes(40));
        PublishTime = watch.Elapsed;
        Executable = Path.Combine(Directory, "linux-x64", "edgeops");
    }

    public string Directory { get; }

    public Shell.Result Publish { get; }

    public TimeSpan PublishTime { get; }

    public string Executable { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>The AOT x64 build, published once for every test class that runs it (the publish takes minutes).</summary>
[CollectionDefinition(Name)]
public sealed class TrimmedX64Collection : ICollectionFixture<TrimmedX64Fixture>
{
    public const string Name = "trimmed-x64";
}

/// <summary>
/// The published build is what goes on a device, and it is built differently from what the other tests run (Native AOT:
/// the whole program trimmed and compiled ahead of time, reflection-based JSON off). A trimmed build once ignored every
/// EdgeOps:Mqtt setting (the configuration binding source generator skips init-only properties) while all tests passed.
/// So: run the published x64 binary on the demo line against a real Mosquitto named only by configuration, and see its
/// birth and machine states arrive; ask its web API (source-generated JSON) for the line; and give it a misspelt key.
/// </summary>
[Collection(TrimmedX64Collection.Name)]
public sealed class TrimmedBuildTests(TrimmedX64Fixture fixture, ITestOutputHelper output)
{
    /// <summary>Third-party assemblies whose trim warnings docs/PERFORMANCE.md ("Deployment") explains; nothing else may warn.</summary>
    private static readonly string[] DocumentedTrimWarnings = ["UnitsNet", "System.Device.Gpio"];

    [Fact]
    public void AotPublish_WarnsOnlyWhereDocumented()
    {
        Assert.True(fixture.Publish.ExitCode == 0, fixture.Publish.ToString());
        var warnings = (fixture.Publish.Output + "\n" + fixture.Publish.Error).Split('\n')
            .Where(l => l.Contains(": warning ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(": warning ", StringComparison.Ordinal) + 10)..].Split(" [", 2)[0])
            .Distinct()
            .ToList();

        var undocumented = warnings.Where(w => !DocumentedTrimWarnings.Any(a => w.StartsWith($"IL2104: Assembly '{a}' produced trim warnings", StringComparison.Ordinal))).ToList();
        Assert.True(undocumented.Count == 0, "AOT publish warnings not explained in docs/PERFORMANCE.md:\n" + string.Join('\n', undocumented));
    }

    [Fact]
    public async Task AotX64Build_HonoursItsMqttSettings_AndPublishesTheDemoLineToAnExternalBroker()
    {
        Assert.True(fixture.Publish.ExitCode == 0, fixture.Publish.ToString());
        Assert.True(File.Exists(fixture.Executable), $"no {fixture.Executable}:\n{fixture.Publish}");
        // Native AOT: one native program, no runtime and no IL beside it.
        var published = System.IO.Directory.GetFiles(Path.GetDirectoryName(fixture.Executable)!).Select(Path.GetFileName).ToList();
        Assert.DoesNotContain("libcoreclr.so", published);
        Assert.DoesNotContain(published, f => f!.EndsWith(".dll", StringComparison.Ordinal));
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await TestSubscriber.StartAsync(broker.Host, broker.Port, "edgeops/#");
        var clock = new Stopwatch();

        var data = System.IO.Directory.CreateTempSubdirectory("edgeops-trimmed-data-").FullName;
        try
        {
            var webPort = FreePort.Next();
            clock.Restart();
            using var gateway = ManagedProcess.Start(fixture.Executable,
            [
                "--data", data,
                $"--EdgeOps:Mqtt:Broker=mqtt://127.0.0.1:{broker.Port}",
                "--EdgeOps:GatewayId=trimmed-x64",
                $"--EdgeOps:Web:Urls=http://127.0.0.1:{webPort}",
                "--EdgeOps:ConsoleSummaryInterval=00:00:00",
            ], Path.GetDirectoryName(fixture.Executable), null);

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            const string status = "edgeops/v1/plant-leipzig/_gateways/trimmed-x64/status";
            TimeSpan? first = null;
            while (!(subscriber.Received.Any(m => m.Topic.EndsWith("/state", StringComparison.Ordinal)) && subscriber.Received.Any(m => m.Topic == status))
                && DateTime.UtcNow < deadline)
            {
                Assert.False(gateway.HasExited, $"the trimmed gateway exited:\n{gateway.Output}");
                first ??= subscriber.Received.Count > 0 ? clock.Elapsed : null; // to within the 20 ms poll
                await Task.Delay(20);
            }

            first ??= clock.Elapsed;
            var received = subscriber.Received;

            Assert.True(received.Any(m => m.Topic.EndsWith("/state", StringComparison.Ordinal)),
                $"no machine state from the trimmed build on the configured broker in 60 s; it said:\n{gateway.Output}");
            // The configured gateway id and broker were used: the birth is on this gateway's status topic.
            Assert.Contains(received, m => m.Topic == status && m.Text.Contains("\"online\"", StringComparison.Ordinal));
            Assert.DoesNotContain("Embedded MQTT broker listening", gateway.Output, StringComparison.Ordinal);

            // The web API's JSON comes from GatewayJsonContext (no reflection in this build): the line, with enums as names.
            using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}") })
            {
                var line = await http.GetStringAsync(new Uri("/api/line", UriKind.Relative));
                Assert.Contains("\"machineId\":\"press\"", line, StringComparison.Ordinal);
                Assert.Matches("\"state\":\"[a-z]", line);
                var events = await http.GetAsync(new Uri("/api/events", UriKind.Relative));
                Assert.True(events.IsSuccessStatusCode, $"/api/events: {(int)events.StatusCode}\n{gateway.Output}");
            }

            // Figures for docs/PERFORMANCE.md (not asserted: the box is shared).
            await Task.Delay(TimeSpan.FromSeconds(10));
            var proc = await File.ReadAllLinesAsync($"/proc/{gateway.Pid}/status");
            string Kb(string key) => proc.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"AOT linux-x64: publish {fixture.PublishTime.TotalSeconds:0} s; start to first publish {first.Value.TotalMilliseconds:0} ms; " +
                $"VmRSS {long.Parse(Kb("VmRSS:"), CultureInfo.InvariantCulture) / 1024} MB, VmHWM {long.Parse(Kb("VmHWM:"), CultureInfo.InvariantCulture) / 1024} MB after 10 s"));
            await gateway.StopAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            System.IO.Directory.Delete(data, recursive: true);
        }
    }
}
