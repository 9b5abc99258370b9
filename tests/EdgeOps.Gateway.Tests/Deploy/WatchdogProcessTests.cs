using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Gateway.Tests.Deploy;

/// <summary>
/// The real gateway under a fake systemd: NOTIFY_SOCKET and WATCHDOG_USEC as systemd sets them for
/// <c>Type=notify</c> + <c>WatchdogSec=</c>, the engine loop wedged by fault injection after a few seconds.
/// </summary>
public sealed class WatchdogProcessTests
{
    [Fact]
    public async Task Gateway_UnderSystemd_SendsReadyThenWatchdog_AndStopsFeedingItWhenTheEngineLoopWedges()
    {
        using var listener = new NotifySocketListener();
        var data = Directory.CreateTempSubdirectory("edgeops-watchdog-").FullName;
        try
        {
            // Started directly, not through GatewayProcess: readiness here is READY=1 on the socket, not the HTTP API.
            using var gateway = ManagedProcess.Start("dotnet",
                [GatewayProcess.DllPath, "--data", data, "--EdgeOps:Diagnostics:WedgeEngineAfter=00:00:12",
                    $"--EdgeOps:Web:Urls=http://127.0.0.1:{FreePort.Next()}", $"--EdgeOps:Mqtt:EmbeddedPort={FreePort.Next()}",
                    // NOTIFY_SOCKET makes this production (issue 15): the demo's embedded broker and simulator are opted in.
                    "--EdgeOps:Mqtt:AllowEmbeddedInProduction=true", "--EdgeOps:Simulator:AllowInProduction=true"],
                RepoPaths.Root,
                new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = listener.SocketName, ["WATCHDOG_USEC"] = "2000000" });

            var ready = await listener.WaitForAsync(l => l == "READY=1", TimeSpan.FromSeconds(30), () => gateway.Output);
            var silent = await listener.WaitForAsync(
                l => l.StartsWith("STATUS=Engine loop silent", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => gateway.Output);
            await Task.Delay(TimeSpan.FromSeconds(3));

            Assert.False(gateway.HasExited, gateway.Output);
            // WATCHDOG=1 every 1 s from READY until the wedge (12 s after the engine started; READY comes a few seconds
            // in on a loaded machine). A 2 s watchdog, not 1 s: one slow pass on a busy CI box must not read as a wedge.
            var fed = listener.Count("WATCHDOG=1", ready, silent);
            Assert.True(fed >= 3, $"Only {fed} WATCHDOG=1 between READY and the wedge:\n{listener.Dump()}");
            // Then nothing: systemd would kill and restart the service one WatchdogSec later.
            Assert.Equal(0, listener.Count("WATCHDOG=1", silent, listener.Now));
            Assert.Contains("engine loop wedged", gateway.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
