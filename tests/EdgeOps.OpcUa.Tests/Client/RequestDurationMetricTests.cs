using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Types;
using EdgeOps.TestSupport.Metrics;
using EdgeOps.TestSupport.OpcUa;
using static EdgeOps.OpcUa.Tests.Client.ClientTestHelpers;

namespace EdgeOps.OpcUa.Tests.Client;

/// <summary>The client's round-trip histogram against node-opcua: recorded per service when a meter factory is given.</summary>
public sealed class RequestDurationMetricTests(OpcUaServerFixture fixture) : IClassFixture<OpcUaServerFixture>
{
    [Fact]
    public async Task ServiceCalls_WithAMeterFactory_RecordTheirRoundTripPerServiceAndEndpoint()
    {
        using var meters = new TestMeterFactory();
        using var reader = new InstrumentReader(meters);
        await using var client = await ConnectAsync(fixture.Server, configure: o => o with { MeterFactory = meters });
        await client.ReadValueAsync(WellKnownNodes.ServerState);
        await client.BrowseAsync([WellKnownNodes.Server]);

        var series = reader.Collect();
        var text = string.Join("\n", series.Select(s => $"{s.Key} {s.Value}"));
        foreach (var service in new[] { "Read", "Browse" })
        {
            var key = $"edgeops.opcua.request_duration{{endpoint={fixture.Server.EndpointUrl},service={service}}}";
            // The reader sums what the histogram recorded: a positive total of seconds, well below the request timeout.
            Assert.True(series.TryGetValue(key, out var seconds), $"no {key} in:\n{text}");
            Assert.InRange(seconds, double.Epsilon, 30);
        }
    }
}
