using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Mqtt.Commands;
using EdgeOps.Publishing.Mqtt.Engine;
using EdgeOps.Publishing.Sparkplug;
using EdgeOps.Publishing.Tests.Support;
using EdgeOps.TestSupport.Mosquitto;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Publishing.Tests;

/// <summary>
/// A real <see cref="LineEngine"/> (press and filler) feeding a real <see cref="SparkplugSession"/> through its engine
/// sink, with DCMDs applied by the real <see cref="CommandRouter"/> and engine command handler. The test drives the
/// engine's clock; the engine is touched under one lock, as the gateway's engine loop does on one thread.
/// </summary>
internal sealed class SparkplugLine : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

    private readonly object _engineGate = new();
    private readonly SignalCatalog _catalog;
    private readonly LineEngine _engine;
    private readonly SparkplugEngineSink _sink;
    private readonly CommandRouter _router;
    private readonly List<EngineEvent> _events = [];
    private DateTimeOffset _now = Start;

    public SparkplugLine(MosquittoBroker broker, CapturingLoggerFactory logs, string? primaryHost = null, TimeSpan? pressStaleAfter = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("edgeops-sparkplug-").FullName;
        var line = new LineDefinition
        {
            Site = "plant1",
            Area = "assembly",
            Line = "line1",
            TimeZone = "Etc/UTC",
            Shifts = [new ShiftDefinition { Name = "day", Start = new TimeOnly(6, 0), End = new TimeOnly(18, 0) }],
            Machines =
            [
                Machine("press", pressStaleAfter ?? TimeSpan.FromDays(1)),
                Machine("filler", TimeSpan.FromDays(1)),
            ],
            Reasons = [new ReasonCode { Code = "jam", Label = "Jam", Category = StateCategory.Down }],
            Products = [new ProductDefinition { Id = "bracket-a", Name = "Bracket A", IdealCycleTime = TimeSpan.FromSeconds(5) }],
        };
        _catalog = new SignalCatalog(line);
        _engine = new LineEngine(_catalog, Start);
        Mqtt = Gateways.Options(broker, Directory, "gw-spb-" + Guid.NewGuid().ToString("N")[..6]);
        Settings = SparkplugSettings.Resolve(new SparkplugOptions { Enabled = true, PrimaryHostId = primaryHost, MinInterval = TimeSpan.Zero },
            line.Site, line.Area, Mqtt.GatewayId, Directory);
        _router = new CommandRouter([new LineEngineCommandHandler(OnEngineAsync)], TimeProvider.System, logs.CreateLogger<CommandRouter>());
        Session = new SparkplugSession(Settings, Mqtt, line, _router, TimeProvider.System, logs);
        _sink = new SparkplugEngineSink(Session, TimeProvider.System);
    }

    public string Directory { get; }

    public MqttOptions Mqtt { get; }

    public SparkplugSettings Settings { get; }

    public SparkplugSession Session { get; }

    public string BrokerUrl => Mqtt.Broker;

    public DateTimeOffset Now => _now;

    /// <summary>Sets a signal of a machine at the current engine time.</summary>
    public void Send(string machine, string signal, double value)
    {
        lock (_engineGate)
        {
            _engine.Process(new Signal(_catalog.Resolve(machine, signal), value, _now));
        }
    }

    /// <summary>Advances the engine clock and hands the snapshot to the Sparkplug sink, as the engine loop does every tick.</summary>
    public void Tick(TimeSpan step)
    {
        lock (_engineGate)
        {
            _now += step;
            _engine.Advance(_now);
            _engine.DrainEvents(_events);
            _events.Clear();
            _sink.OnSnapshot(_engine.GetLineSnapshot(_now));
        }
    }

    /// <summary>Releases an order on <paramref name="machine"/> at the current engine time.</summary>
    public void StartOrder(string machine, string orderId, long quantity)
    {
        lock (_engineGate)
        {
            var result = _engine.StartOrder(machine, new Core.Orders.OrderStart(orderId, null, quantity), _now, "test");
            if (!result.Accepted)
            {
                throw new InvalidOperationException(result.Error);
            }
        }
    }

    /// <summary>One cycle of <paramref name="machine"/>: running, one more on its totalizer-free pulse counter.</summary>
    public void Cycle(string machine)
    {
        Send(machine, "running", 1);
        Send(machine, "total", 1);
    }

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        _router.Dispose();
    }

    private Task<CommandResult> OnEngineAsync(Func<LineEngine, DateTimeOffset, CommandResult> work, CancellationToken cancellationToken)
    {
        lock (_engineGate)
        {
            return Task.FromResult(work(_engine, _now));
        }
    }

    private static MachineDefinition Machine(string id, TimeSpan staleAfter) => new()
    {
        Id = id,
        IdealCycleTime = TimeSpan.FromSeconds(2),
        StaleAfter = staleAfter,
        Signals =
        [
            new SignalDefinition { Name = "running", Role = SignalRole.Running },
            new SignalDefinition { Name = "fault", Role = SignalRole.Fault },
            new SignalDefinition { Name = "total", Role = SignalRole.Total },
        ],
    };
}
