using System.Text.Json;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Gateway.Tests.Hosting;

/// <summary>A live run recorded with <c>--record</c>, replayed with <c>edgeops replay</c>: the same shift records.</summary>
public sealed class ReplayTests : IDisposable
{
    // Monday 2026-11-23 13:50 in Berlin: ten minutes before the early shift closes at 14:00 local (13:00 UTC).
    private const string BeforeShiftChange = "2026-11-23T12:50:00Z";
    private readonly string _dir = Directory.CreateTempSubdirectory("edgeops-replay-").FullName;

    [Fact]
    public async Task Replay_OfARecordedLiveRun_GivesTheSameShiftRecordsAsTheLiveRun()
    {
        var config = RepoPaths.File("firmware-config", "lines", "demo-line.yaml");
        var recording = Path.Combine(_dir, "run.jsonl");
        JsonElement liveShifts;
        using (var live = await GatewayProcess.StartAsync(
        [
            "--config", config,
            "--data", Path.Combine(_dir, "data"),
            "--record", recording,
            $"--EdgeOps:Simulator:Start={BeforeShiftChange}",
            "--EdgeOps:Simulator:Speed=300",
            "--EdgeOps:ConsoleSummaryInterval=00:00:00",
        ]))
        {
            // 10 simulated minutes at 300× take 2 s; wait for all three machines' early-shift records.
            liveShifts = await live.WaitForJsonAsync("/api/shifts", s => s.GetArrayLength() >= 3, TimeSpan.FromSeconds(60));
            await live.StopAsync();
        }

        using var replay = ManagedProcess.Start("dotnet", [GatewayProcess.DllPath, "replay", recording, "--config", config], RepoPaths.Root);
        await replay.WaitForExitAsync(TimeSpan.FromSeconds(120));
        Assert.True(replay.ExitCode == 0, replay.Output);
        var json = replay.Output[replay.Output.IndexOf('{', StringComparison.Ordinal)..];
        using var replayed = JsonDocument.Parse(json);
        var replayShifts = replayed.RootElement.GetProperty("shifts");

        foreach (var liveRecord in liveShifts.EnumerateArray().Where(r => r.GetProperty("shiftName").GetString() == "early"))
        {
            var machine = liveRecord.GetProperty("machineId").GetString();
            var match = replayShifts.EnumerateArray().Single(r =>
                r.GetProperty("machineId").GetString() == machine && r.GetProperty("shiftId").GetString() == liveRecord.GetProperty("shiftId").GetString());
            Assert.Equal(Compact(liveRecord.GetProperty("counts")), Compact(match.GetProperty("counts")));
            Assert.Equal(Compact(liveRecord.GetProperty("kpi")), Compact(match.GetProperty("kpi")));
            Assert.Equal(liveRecord.GetProperty("revision").GetInt32(), match.GetProperty("revision").GetInt32());
        }

        Assert.Contains(liveShifts.EnumerateArray(), r => r.GetProperty("shiftName").GetString() == "early");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);
}
