using System.Threading.Channels;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Sources.Modbus;
using EdgeOps.TestSupport.Modbus;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeOps.Sources.Tests.Modbus;

/// <summary>The Modbus source against Debian's pymodbus 3.0 server: coalescing, every type, Bad while the device is away.</summary>
public sealed class ModbusSignalSourceTests : IAsyncLifetime
{
    private readonly ModbusTestServer _server = new();

    // xunit 2 does not call IAsyncDisposable on a test class: without IAsyncLifetime every pymodbus server outlived its test.
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    private ModbusDeviceDefinition Device(int maxGap = 10, int maxPerRead = 125) => new()
    {
        Name = "plc1",
        Host = _server.Host,
        Port = _server.Port,
        PollInterval = TimeSpan.FromMilliseconds(100),
        Timeout = TimeSpan.FromMilliseconds(500),
        MaxGap = maxGap,
        MaxRegistersPerRead = maxPerRead,
    };

    private static SignalCatalog Catalog(ModbusDeviceDefinition device, IEnumerable<SignalDefinition> signals) => new(new LineDefinition
    {
        Site = "s",
        Area = "a",
        Line = "l",
        TimeZone = "UTC",
        Shifts = [],
        Sources = new SourcesDefinition { Modbus = new ModbusSourceDefinition { Devices = [device] } },
        Machines = [new MachineDefinition { Id = "m", IdealCycleTime = TimeSpan.FromSeconds(1), Signals = [.. signals] }],
    });

    private static SignalDefinition Analog(string name, string table, int address, string type = "uint16", string wordOrder = "big", double scale = 1, double offset = 0) => new()
    {
        Name = name,
        Role = SignalRole.Analog,
        Source = new ModbusBinding { Device = "plc1", Table = table, Address = address, Type = type, WordOrder = wordOrder, Scale = scale, Offset = offset },
    };

    private static async Task<Dictionary<int, Signal>> PollAsync(ModbusSignalSource source)
    {
        var channel = Channel.CreateUnbounded<Signal>();
        await source.PollOnceAsync(channel.Writer, CancellationToken.None);
        var result = new Dictionary<int, Signal>();
        while (channel.Reader.TryRead(out var signal))
        {
            result[signal.Handle] = signal;
        }

        return result;
    }

    [Fact]
    public async Task TwoHundredScatteredRegisters_AreReadInThePredictedNumberOfRequests_AndEqualTheServer()
    {
        // Ten clusters of ten signals, each cluster 200 addresses apart, with nothing mapped in between: a hole is
        // 180 registers, far above maxGap, so each cluster is one read: 10 requests, and no read touches an unmapped
        // address (pymodbus would refuse it). Within a cluster, every second register is skipped by the signals but
        // mapped, so the cluster reads as one request across its gaps of 1.
        var unit = _server.Map.Unit(1);
        var signals = new List<SignalDefinition>();
        var expected = new List<ushort>();
        for (var cluster = 0; cluster < 10; cluster++)
        {
            for (var i = 0; i < 20; i++)
            {
                var address = (cluster * 200) + i;
                var value = (ushort)((cluster * 1000) + i);
                unit.SetHolding(address, value);
                if (i % 2 == 0)
                {
                    signals.Add(Analog($"r{address}", "holding", address));
                    expected.Add(value);
                }
            }
        }

        // And 100 more, spread every third input register (0, 3, ..., 297), all mapped: with maxGap 10 and at most
        // 125 registers a read, a read spans 42 of them (0..124 ends at 123+1), so ⌈100 / 42⌉ = 3 requests.
        for (var i = 0; i < 100; i++)
        {
            unit.SetInput(i * 3, (ushort)(50_000 + i), 0, 0);
            signals.Add(Analog($"i{i * 3}", "input", i * 3));
            expected.Add((ushort)(50_000 + i));
        }

        Assert.Equal(200, signals.Count);
        await _server.StartAsync();
        var device = Device();
        var catalog = Catalog(device, signals);
        await using var source = new ModbusSignalSource(device, catalog, NullLogger<ModbusSignalSource>.Instance);
        Assert.Equal(13, source.ReadsPerPoll);

        var values = await PollAsync(source);
        Assert.Equal(13, source.RequestsSent);
        Assert.Equal(200, values.Count);
        for (var handle = 0; handle < 200; handle++)
        {
            Assert.Equal(SignalQuality.Good, values[handle].Quality);
            Assert.Equal(expected[handle], values[handle].Value);
        }

        // Without coalescing (no gap allowed, one register a read at most 4) the same map costs far more requests.
        var strict = Device(maxGap: 0, maxPerRead: 4);
        await using var uncoalesced = new ModbusSignalSource(strict, Catalog(strict, signals), NullLogger<ModbusSignalSource>.Instance);
        Assert.Equal(200, uncoalesced.ReadsPerPoll);
    }

    [Fact]
    public async Task EveryTypeWordOrderScaleAndStatusBit_ArriveAsTheServerHoldsThem()
    {
        var unit = _server.Map.Unit(1);
        unit.SetHolding(0, 0xFFFE); // int16 −2
        unit.SetHolding(1, 0xF8A4, 0x32EB); // int32 −123456789, big
        unit.SetHolding(3, 0x32EB, 0xF8A4); // the same, little word order
        unit.SetHolding(5, 0x42F6, 0xE979); // float32 123.456
        unit.SetHolding(7, 0x2D18, 0x5444, 0x21FB, 0x4009); // float64 π, little word order
        unit.SetHolding(11, 0x0000, 0x0000, 0x0001, 0x0000); // int64 65536
        unit.SetHolding(15, 0b0000_0000_0000_0110); // status word: bits 1 and 2
        unit.SetInput(0, 1234); // uint16, scale 0.1, offset −10
        unit.Coils[5] = true;
        unit.Discrete[7] = true;
        await _server.StartAsync();

        SignalDefinition[] signals =
        [
            Analog("int16", "holding", 0, "int16"),
            Analog("int32", "holding", 1, "int32"),
            Analog("int32-little", "holding", 3, "int32", "little"),
            Analog("float32", "holding", 5, "float32"),
            Analog("float64-little", "holding", 7, "float64", "little"),
            Analog("int64", "holding", 11, "int64"),
            new() { Name = "running", Role = SignalRole.Running, Source = new ModbusBinding { Device = "plc1", Table = "holding", Address = 15, Type = "bit", Bit = 0 } },
            new() { Name = "fault", Role = SignalRole.Fault, Source = new ModbusBinding { Device = "plc1", Table = "holding", Address = 15, Type = "bit", Bit = 1 } },
            Analog("scaled", "input", 0, "uint16", scale: 0.1, offset: -10),
            new() { Name = "coil", Role = SignalRole.Starved, Source = new ModbusBinding { Device = "plc1", Table = "coil", Address = 5, Type = "bool" } },
            new() { Name = "discrete", Role = SignalRole.Blocked, Source = new ModbusBinding { Device = "plc1", Table = "discrete", Address = 7, Type = "bool" } },
        ];
        var device = Device();
        await using var source = new ModbusSignalSource(device, Catalog(device, signals), NullLogger<ModbusSignalSource>.Instance);
        var values = await PollAsync(source);

        double[] expected = [-2, -123456789, -123456789, 123.456f, Math.PI, 65536, 0, 1, (1234 * 0.1) - 10, 1, 1];
        Assert.Equal(expected, Enumerable.Range(0, expected.Length).Select(h => values[h].Value));
        Assert.All(values.Values, v => Assert.Equal(SignalQuality.Good, v.Quality));
        Assert.Equal(4, source.ReadsPerPoll); // holding 0..15, input 0, coil 5, discrete 7: one read per table
    }

    [Fact]
    public async Task CoalescedReadOverUnmappedAddresses_IsSplitIntoReadsWithoutHoles_AndTheSignalsArrive()
    {
        _server.Map.Unit(1).SetHolding(0, 11).SetHolding(5, 22);
        await _server.StartAsync();
        var device = Device(maxGap: 10);
        await using var source = new ModbusSignalSource(device, Catalog(device, [Analog("a", "holding", 0), Analog("b", "holding", 5)]),
            NullLogger<ModbusSignalSource>.Instance);
        Assert.Equal(1, source.ReadsPerPoll);

        var first = await PollAsync(source); // refused with IllegalDataAddress: the device answers, the read is split
        Assert.Empty(first);
        Assert.Equal(2, source.ReadsPerPoll);
        var second = await PollAsync(source);
        Assert.Equal(11, second[0].Value);
        Assert.Equal(22, second[1].Value);
    }

    [Fact]
    public async Task DeviceThatNeverAnswers_DoesNotDelayTheOthersOnTheSharedTimer()
    {
        _server.Map.Unit(1).SetHolding(0, 42);
        await _server.StartAsync();

        // Accepts and never answers: every read of it waits out its 1 s timeout.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var silentPort = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var good = Device() with { Name = "good" };
        var mute = Device() with { Name = "mute", Port = silentPort, Timeout = TimeSpan.FromSeconds(1) };
        var catalog = new SignalCatalog(new LineDefinition
        {
            Site = "s",
            Area = "a",
            Line = "l",
            TimeZone = "UTC",
            Shifts = [],
            Sources = new SourcesDefinition { Modbus = new ModbusSourceDefinition { Devices = [good, mute] } },
            Machines =
            [
                new MachineDefinition
                {
                    Id = "m",
                    IdealCycleTime = TimeSpan.FromSeconds(1),
                    Signals =
                    [
                        new() { Name = "g", Role = SignalRole.Analog, Source = new ModbusBinding { Device = "good", Table = "holding", Address = 0, Type = "uint16" } },
                        new() { Name = "m", Role = SignalRole.Analog, Source = new ModbusBinding { Device = "mute", Table = "holding", Address = 0, Type = "uint16" } },
                    ],
                },
            ],
        });
        var sources = new ModbusSourceFactory(NullLoggerFactory.Instance).Create(catalog, TimeProvider.System).Cast<ModbusSignalSource>().ToList();
        var channel = Channel.CreateUnbounded<Signal>();
        using var stop = new CancellationTokenSource();
        var runs = sources.Select(s => s.RunAsync(channel.Writer, stop.Token)).ToList();
        var goodPolls = new List<DateTimeOffset>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (goodPolls.Count < 20)
        {
            // 20 polls of the good device at 100 ms while the mute one times out second after second.
            Assert.True(DateTime.UtcNow < deadline, $"only {goodPolls.Count} polls of the good device in 30 s");
            var signal = await channel.Reader.ReadAsync().AsTask().WaitAsync(deadline - DateTime.UtcNow);
            if (signal.Handle == 0 && signal.Quality == SignalQuality.Good)
            {
                Assert.Equal(42, signal.Value);
                goodPolls.Add(signal.Timestamp);
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(runs);
        var muteSource = sources.Single(s => s.Name == "modbus:mute");
        foreach (var source in sources)
        {
            await source.DisposeAsync();
        }

        // The good device kept its interval: 20 polls took about 2 s, not the 20 s a poller stuck behind the mute device's
        // timeouts would take (generous for a loaded machine).
        Assert.True(goodPolls[^1] - goodPolls[0] < TimeSpan.FromSeconds(8), $"20 polls took {goodPolls[^1] - goodPolls[0]}");
        Assert.True(muteSource.RequestsSent < goodPolls.Count, $"the mute device was asked {muteSource.RequestsSent} times");
    }

    [Fact]
    public async Task DeviceKilledAndRestartedFiveTimes_SignalsGoBadThenRecover_WithoutRemakingTheSource()
    {
        _server.Map.Unit(1).SetHolding(0, 100, 0b01);
        await _server.StartAsync();
        SignalDefinition[] signals =
        [
            new() { Name = "count", Role = SignalRole.Total, CountMode = CountMode.Totalizer, Source = new ModbusBinding { Device = "plc1", Table = "holding", Address = 0, Type = "uint16" } },
            new() { Name = "running", Role = SignalRole.Running, Source = new ModbusBinding { Device = "plc1", Table = "holding", Address = 1, Type = "bit", Bit = 0 } },
        ];
        var device = Device();
        await using var source = new ModbusSignalSource(device, Catalog(device, signals), NullLogger<ModbusSignalSource>.Instance);
        var channel = Channel.CreateUnbounded<Signal>();
        using var stop = new CancellationTokenSource();
        var run = source.RunAsync(channel.Writer, stop.Token);
        await NextAsync(channel, s => s.Quality == SignalQuality.Good && s.Value == 100);

        for (var round = 1; round <= 5; round++)
        {
            _server.Kill();
            await NextAsync(channel, s => s.Handle == 0 && s.Quality == SignalQuality.Bad);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (source.IsConnected && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.False(source.IsConnected);
            _server.Map.Unit(1).SetHolding(0, (ushort)(100 + round));
            await _server.StartAsync();
            await NextAsync(channel, s => s.Handle == 0 && s.Quality == SignalQuality.Good && s.Value == 100 + round);
        }

        await stop.CancelAsync();
        await run;
    }

    private static async Task NextAsync(Channel<Signal> channel, Func<Signal, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var signal in channel.Reader.ReadAllAsync(timeout.Token))
        {
            if (match(signal))
            {
                return;
            }
        }
    }
}
