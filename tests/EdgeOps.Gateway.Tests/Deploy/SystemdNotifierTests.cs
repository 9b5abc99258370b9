using EdgeOps.Gateway.Hosting.Systemd;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeOps.Gateway.Tests.Deploy;

public sealed class SystemdNotifierTests
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task Notifier_WhenHostStartsAndEngineBeats_SendsReadyThenPeriodicWatchdogThenStopping()
    {
        using var listener = new NotifySocketListener();
        var heartbeat = new TestHeartbeat();
        using var host = BuildHost(listener.SocketName, heartbeat);

        await host.StartAsync();
        var ready = await listener.WaitForAsync(l => l == "READY=1", TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var pings = listener.Count("WATCHDOG=1", ready, listener.Now);
        await host.StopAsync();

        // Every 200 ms for 1.5 s: 7 expected; a loaded CI box may lose a few ticks, never all.
        Assert.True(pings >= 4, $"Expected WATCHDOG=1 every half interval, got {pings}:\n{listener.Dump()}");
        Assert.Equal(0, listener.Count("WATCHDOG=1", TimeSpan.Zero, ready));
        // The datagram is read on the listener's own thread: wait for it rather than race the assertion against it.
        await listener.WaitForAsync(l => l == "STOPPING=1", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Notifier_WhenEngineLoopWedges_StopsFeedingWatchdogAndSaysWhyInStatus_AndResumesWhenItBeatsAgain()
    {
        using var listener = new NotifySocketListener();
        var heartbeat = new TestHeartbeat();
        using var host = BuildHost(listener.SocketName, heartbeat);
        await host.StartAsync();
        await listener.WaitForAsync(l => l == "WATCHDOG=1", TimeSpan.FromSeconds(10));

        heartbeat.Silent = TimeSpan.FromSeconds(5);
        var silentAt = await listener.WaitForAsync(l => l.StartsWith("STATUS=Engine loop silent", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var whileWedged = listener.Count("WATCHDOG=1", silentAt, listener.Now);

        heartbeat.Silent = TimeSpan.Zero;
        var recoveredAt = listener.Now;
        // After the recovery, not the READY line's "STATUS=Running"; generous timeouts, because a starved thread pool
        // (other test assemblies run alongside) can hold the 200 ms timer back for a second or more.
        // Each wait throws (with the notifications so far) when the line does not come.
        await listener.WaitForAsync(l => l == "STATUS=Running", TimeSpan.FromSeconds(10), listener.Dump, after: recoveredAt);
        await listener.WaitForAsync(l => l == "WATCHDOG=1", TimeSpan.FromSeconds(10), listener.Dump, after: recoveredAt);
        await host.StopAsync();

        Assert.Equal(0, whileWedged);
    }

    [Fact]
    public async Task Notifier_WithoutWatchdogInterval_SendsReadyButNoWatchdog()
    {
        using var listener = new NotifySocketListener();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSystemdIntegration(new SystemdEnvironment(listener.SocketName, WatchdogInterval: null));
        using var host = builder.Build();

        await host.StartAsync();
        var ready = await listener.WaitForAsync(l => l == "READY=1", TimeSpan.FromSeconds(10));
        await Task.Delay(500);
        await host.StopAsync();

        Assert.Equal(0, listener.Count("WATCHDOG=1", TimeSpan.Zero, listener.Now));
        Assert.True(ready > TimeSpan.Zero);
    }

    [Fact]
    public void Client_WithAbstractNamespaceSocket_DeliversTheMessage()
    {
        var name = "edgeops-test-" + Guid.NewGuid().ToString("N");
        using var listener = new NotifySocketListener(abstractName: name);
        using var client = new SdNotifyClient("@" + name);

        Assert.True(client.Send("STATUS=hello"));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!listener.Lines.Any(l => l.Line == "STATUS=hello") && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        Assert.Contains(listener.Lines, l => l.Line == "STATUS=hello");
    }

    [Fact]
    public void Client_WhenNobodyListens_ReturnsFalseInsteadOfThrowing()
    {
        using var client = new SdNotifyClient(Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N")));

        Assert.False(client.Send("READY=1"));
    }

    [Theory]
    [InlineData("30000000", null, 42, 30.0)]
    [InlineData("30000000", "42", 42, 30.0)]
    [InlineData("30000000", "41", 42, null)]
    [InlineData("0", null, 42, null)]
    [InlineData("junk", null, 42, null)]
    public void Environment_ReadsWatchdogIntervalOnlyForThisProcess(string usec, string? watchdogPid, int pid, double? expectedSeconds)
    {
        var variables = new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = "/run/systemd/notify", ["WATCHDOG_USEC"] = usec, ["WATCHDOG_PID"] = watchdogPid };

        var environment = SystemdEnvironment.Read(k => variables.GetValueOrDefault(k), pid);

        Assert.Equal("/run/systemd/notify", environment.NotifySocket);
        Assert.Equal(expectedSeconds, environment.WatchdogInterval?.TotalSeconds);
    }

    private static IHost BuildHost(string socket, IEngineHeartbeat heartbeat)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(heartbeat);
        builder.Services.AddSystemdIntegration(new SystemdEnvironment(socket, Watchdog));
        return builder.Build();
    }

    private sealed class TestHeartbeat : IEngineHeartbeat
    {
        private long _silentTicks;

        public TimeSpan Silent
        {
            get => TimeSpan.FromTicks(Interlocked.Read(ref _silentTicks));
            set => Interlocked.Exchange(ref _silentTicks, value.Ticks);
        }

        public TimeSpan SinceLastBeat => Silent;
    }
}
