using Xunit.Abstractions;

namespace EdgeOps.Historian.Tests.Fleet;

/// <summary>
/// The fleet harness in its CI setting (5 gateways, 60 s; docs/scale.md): nothing any gateway published is missing
/// from the store, nothing is there that no gateway published, though one historian was SIGKILLed mid-run.
/// The long setting is the same test with EDGEOPS_FLEET_GATEWAYS / EDGEOPS_FLEET_SECONDS raised.
/// </summary>
public sealed class FleetTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Fleet_GatewaysIntoSharedHistorians_OneKilledMidRun_StoresEveryPublishedMessageAndNothingElse()
    {
        var report = await FleetHarness.RunAsync(FleetSettings.FromEnvironment(), output.WriteLine);
        output.WriteLine(report.Render());
        var file = Environment.GetEnvironmentVariable("EDGEOPS_FLEET_REPORT");
        if (!string.IsNullOrEmpty(file))
        {
            await File.WriteAllTextAsync(file, report.Render());
        }

        Assert.True(report.Published > 0, "no gateway published anything");
        Assert.True(report.Lost == 0 && report.Unexpected == 0, report.Render());
        Assert.Equal(report.Settings.Gateways, report.Gateways.Count);
    }
}
