using Microsoft.Extensions.Time.Testing;

namespace EdgeOps.Sources.Tests;

/// <summary>The one timer the line's pollers share: each keeps its own instants, a cancelled wait leaves nothing armed.</summary>
public sealed class PollSchedulerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task PollersWithDifferentIntervals_EachWakeAtTheirOwnInstants_OnOneTimer()
    {
        var time = new FakeTimeProvider(Start);
        var scheduler = new PollScheduler(time);
        var woke = new Dictionary<int, List<double>> { [100] = [], [250] = [] };
        using var stop = new CancellationTokenSource();
        var loops = woke.Keys.Select(async interval =>
        {
            var tick = Start;
            try
            {
                while (true)
                {
                    tick = Sources.Modbus.ModbusSignalSource.NextPoll(time.GetUtcNow(), tick, TimeSpan.FromMilliseconds(interval));
                    await scheduler.WaitUntilAsync(tick, stop.Token);
                    woke[interval].Add((time.GetUtcNow() - Start).TotalMilliseconds);
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }).ToList();

        for (var i = 0; i < 100; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
        }

        await stop.CancelAsync();
        await Task.WhenAll(loops);
        Assert.Equal(Enumerable.Range(1, 10).Select(k => k * 100.0), woke[100]);
        Assert.Equal([250.0, 500, 750, 1000], woke[250]);
        Assert.Equal(0, scheduler.Waiting);
    }

    [Fact]
    public async Task WaitersDueAtTheSameInstant_AllWakeInOneTimerCallback_InTheOrderTheyWaited()
    {
        var time = new FakeTimeProvider(Start);
        var scheduler = new PollScheduler(time);
        var order = new List<int>();
        var waits = Enumerable.Range(0, 10).Select(i => scheduler.WaitUntilAsync(Start.AddMilliseconds(100), CancellationToken.None)
            .ContinueWith(_ => order.Add(i), TaskContinuationOptions.ExecuteSynchronously)).ToList();

        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Empty(order);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await Task.WhenAll(waits);
        Assert.Equal(Enumerable.Range(0, 10), order);
    }

    [Fact]
    public async Task CancelledWait_EndsCancelled_AndLeavesTheOthersOnTime()
    {
        var time = new FakeTimeProvider(Start);
        var scheduler = new PollScheduler(time);
        using var cancel = new CancellationTokenSource();
        var early = scheduler.WaitUntilAsync(Start.AddMilliseconds(50), cancel.Token);
        var later = scheduler.WaitUntilAsync(Start.AddMilliseconds(80), CancellationToken.None);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => early);
        Assert.Equal(1, scheduler.Waiting);

        time.Advance(TimeSpan.FromMilliseconds(78)); // the cancelled wait's instant (50) passed: nothing woke
        Assert.False(later.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(2));
        await later;
        Assert.Equal(0, scheduler.Waiting);
    }

    [Fact]
    public async Task OnTheSystemClock_ItsThreadWakesEachPollerAtItsOwnInstants_AndEndsWhenNobodyWaits()
    {
        var scheduler = new PollScheduler(TimeProvider.System, ownThread: true, idleExit: TimeSpan.FromMilliseconds(300));
        var late = new Dictionary<int, List<TimeSpan>> { [50] = [], [120] = [] };
        var loops = late.Keys.Select(interval => Task.Run(async () =>
        {
            var tick = DateTimeOffset.UtcNow;
            for (var i = 0; i < 8; i++)
            {
                tick = Sources.Modbus.ModbusSignalSource.NextPoll(DateTimeOffset.UtcNow, tick, TimeSpan.FromMilliseconds(interval));
                await scheduler.WaitUntilAsync(tick, CancellationToken.None);
                late[interval].Add(DateTimeOffset.UtcNow - tick);
                Assert.Equal(0, tick.UtcTicks % TimeSpan.FromMilliseconds(interval).Ticks);
            }
        })).ToList();
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(scheduler.HasThread);

        // Never before its instant (bar the scheduler's 1 ms tolerance for a clock that runs ahead); how late depends on
        // the machine's load, so only an absurd delay fails.
        Assert.All(late.Values.SelectMany(l => l), l => Assert.InRange(l, TimeSpan.FromMilliseconds(-1), TimeSpan.FromSeconds(5)));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (scheduler.HasThread)
        {
            Assert.True(DateTime.UtcNow < deadline, "the scheduler's thread outlived its last waiter by 20 s");
            await Task.Delay(50);
        }

        // And starts again for the next wait.
        await scheduler.WaitUntilAsync(DateTimeOffset.UtcNow.AddMilliseconds(20), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task InstantAlreadyPassed_CompletesAtOnce()
    {
        var time = new FakeTimeProvider(Start);
        var scheduler = new PollScheduler(time);
        await scheduler.WaitUntilAsync(Start, CancellationToken.None);
        await scheduler.WaitUntilAsync(Start.AddSeconds(-1), CancellationToken.None);
        Assert.Equal(0, scheduler.Waiting);
    }
}
