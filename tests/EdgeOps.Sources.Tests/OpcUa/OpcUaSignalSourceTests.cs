using System.Threading.Channels;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Sources.OpcUa;
using EdgeOps.TestSupport.OpcUa;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeOps.Sources.Tests.OpcUa;

public sealed class OpcUaSignalSourceTests : IAsyncLifetime
{
    private readonly OpcUaTestServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private LineDefinition Line() => new()
    {
        Site = "s",
        Area = "a",
        Line = "l",
        TimeZone = "UTC",
        Shifts = [],
        Machines =
        [
            new MachineDefinition
            {
                Id = "press",
                IdealCycleTime = TimeSpan.FromSeconds(1),
                Signals =
                [
                    new SignalDefinition
                    {
                        Name = "total",
                        Role = SignalRole.Total,
                        CountMode = CountMode.Totalizer,
                        Source = new OpcUaBinding { Endpoint = "plc1", Node = "ns=1;s=Counter.0", NamespaceUri = _server.NamespaceUri },
                    },
                    new SignalDefinition
                    {
                        Name = "running",
                        Role = SignalRole.Running,
                        Source = new OpcUaBinding { Endpoint = "plc1", BrowsePath = "Objects/Plc/Running", NamespaceUri = _server.NamespaceUri },
                    },
                    new SignalDefinition
                    {
                        Name = "fault",
                        Role = SignalRole.Fault,
                        Source = new OpcUaBinding { Endpoint = "plc1", Node = "ns=1;s=Plc.DoesNotExist", NamespaceUri = _server.NamespaceUri },
                    },
                    new SignalDefinition { Name = "other", Role = SignalRole.Good, Source = new OpcUaBinding { Endpoint = "plc2", Node = "i=2258" } },
                ],
            },
        ],
    };

    [Fact]
    public async Task Source_BindsByNodeAndBrowsePath_CarriesSourceTimestamps_AndMarksSignalsStaleWhileTheServerIsDown()
    {
        var catalog = new SignalCatalog(Line());
        var source = new OpcUaSignalSource(new OpcUaEndpointDefinition { Name = "plc1", Url = _server.EndpointUrl, PublishingInterval = TimeSpan.FromMilliseconds(200) },
            catalog, NullLogger<OpcUaSignalSource>.Instance);
        Assert.Equal("opcua:plc1", source.Name);
        Assert.Equal(3, source.SignalCount); // plc2's signal belongs to another source

        var channel = Channel.CreateUnbounded<Signal>();
        using var cts = new CancellationTokenSource();
        var run = source.RunAsync(channel.Writer, cts.Token);
        var received = new List<Signal>();
        async Task CollectUntil(Func<bool> done, TimeSpan timeout)
        {
            using var wait = new CancellationTokenSource(timeout);
            try
            {
                while (!done())
                {
                    received.Add(await channel.Reader.ReadAsync(wait.Token));
                }
            }
            catch (OperationCanceledException)
            {
                // Asserted below.
            }
        }

        var total = catalog.Resolve("press", "total");
        var running = catalog.Resolve("press", "running");
        var fault = catalog.Resolve("press", "fault");
        await CollectUntil(() => received.Count(s => s.Handle == total && s.Quality == SignalQuality.Good) >= 10, TimeSpan.FromSeconds(15));
        Assert.True(source.IsConnected);
        var counts = received.Where(s => s.Handle == total && s.Quality == SignalQuality.Good).ToList();
        Assert.True(counts.Count >= 10);
        Assert.All(counts, s => Assert.True(s.SourceTimestamped));
        Assert.All(counts, s => Assert.InRange(s.Timestamp, DateTimeOffset.UtcNow.AddSeconds(-30), DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.Contains(received, s => s.Handle == running && s.Value == 1 && s.Quality == SignalQuality.Good);
        Assert.Contains(received, s => s.Handle == fault && s.Quality == SignalQuality.Bad); // unknown node: stale, not a value

        // Server gone: every bound signal goes Bad (the machine becomes Offline, not Down).
        received.Clear();
        _server.Kill();
        await CollectUntil(() => received.Any(s => s.Handle == total && s.Quality == SignalQuality.Bad) && received.Any(s => s.Handle == running && s.Quality == SignalQuality.Bad), TimeSpan.FromSeconds(15));
        Assert.Contains(received, s => s.Handle == total && s.Quality == SignalQuality.Bad);
        Assert.Contains(received, s => s.Handle == running && s.Quality == SignalQuality.Bad);
        Assert.False(source.IsConnected);

        // Back: good values again without restarting the source.
        await _server.StartAsync();
        received.Clear();
        await CollectUntil(() => received.Any(s => s.Handle == total && s.Quality == SignalQuality.Good), TimeSpan.FromSeconds(15));
        Assert.Contains(received, s => s.Handle == total && s.Quality == SignalQuality.Good);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
