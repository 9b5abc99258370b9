using System.Text.Json;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;

namespace EdgeOps.Gateway.Tests.Hosting;

/// <summary>The real gateway process, killed with SIGKILL mid-shift and restarted on the same data directory.</summary>
public sealed class GatewayRestartTests : IDisposable
{
    // Monday 2026-11-23, 07:00 in Berlin (UTC+1): an hour into the early shift (06:00–14:00), before any break.
    private const string MidShift = "2026-11-23T06:00:00Z";
    private const double Speed = 10;
    private readonly string _data = Directory.CreateTempSubdirectory("edgeops-restart-").FullName;

    [Fact]
    public async Task Gateway_KilledMidShift_ResumesTheSameShiftWithCountsOffByAtMostOneCheckpoint()
    {
        string[] args =
        [
            "--config", RepoPaths.File("firmware-config", "lines", "demo-line.yaml"),
            "--data", _data,
            $"--EdgeOps:Simulator:Start={MidShift}",
            $"--EdgeOps:Simulator:Speed={Speed}",
            "--EdgeOps:ConsoleSummaryInterval=00:00:00",
        ];

        long before;
        long lifetimeBefore;
        string shiftBefore;
        using (var first = await GatewayProcess.StartAsync(args))
        {
            var line = await first.WaitForJsonAsync("/api/line", l => Packer(l).ShiftGood >= 15, TimeSpan.FromSeconds(60));
            // Let at least one more checkpoint (1 s) pass after the reading, then cut the power.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            line = await first.GetJsonAsync("/api/line");
            (before, lifetimeBefore) = (Packer(line).ShiftGood, Packer(line).LifetimeGood);
            shiftBefore = line.GetProperty("shift").GetProperty("id").GetString()!;
            first.Kill();
        }

        // Restart nearly frozen (a simulated second takes 100 real seconds), so what we read is what was restored,
        // not parts made since.
        using var second = await GatewayProcess.StartAsync([.. args, "--EdgeOps:Simulator:Speed=0.01"]);
        var resumed = await second.GetJsonAsync("/api/line");
        var after = Packer(resumed);

        // At most one checkpoint interval (1 s real = 10 s simulated) of packer output is lost:
        // 10 s / 1.8 s ideal cycle ≈ 6 parts; allow 8 for cycle jitter.
        Assert.Equal(shiftBefore, resumed.GetProperty("shift").GetProperty("id").GetString());
        // The upper bound allows for parts counted between the last snapshot we read (published every 250 ms) and the kill.
        Assert.InRange(after.ShiftGood, before - 8, before + 3);
        Assert.InRange(after.LifetimeGood, lifetimeBefore - 8, lifetimeBefore + 3);
        Assert.True(after.ShiftGood >= 15, $"restored {after.ShiftGood}: the counts were reset");
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static (long ShiftGood, long LifetimeGood) Packer(JsonElement line)
    {
        foreach (var machine in line.GetProperty("machines").EnumerateArray())
        {
            if (machine.GetProperty("machineId").GetString() == "packer")
            {
                return (machine.GetProperty("shiftCounts").GetProperty("good").GetInt64(),
                    machine.GetProperty("lifetimeCounts").GetProperty("good").GetInt64());
            }
        }

        throw new InvalidOperationException($"No packer in {line}");
    }
}
