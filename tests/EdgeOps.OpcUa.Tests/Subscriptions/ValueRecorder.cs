using System.Collections.Concurrent;
using System.Globalization;
using EdgeOps.OpcUa.Subscriptions;

namespace EdgeOps.OpcUa.Tests.Subscriptions;

/// <summary>Drains a subscription into per-handle lists of (value, arrival time), as a consumer would.</summary>
internal sealed class ValueRecorder : IAsyncDisposable
{
    private readonly ConcurrentDictionary<uint, List<(double Value, DateTime Arrived)>> _values = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ValueRecorder(OpcUaSubscription subscription)
    {
        _loop = Task.Run(async () =>
        {
            try
            {
                await foreach (var v in subscription.Values.ReadAllAsync(_stop.Token))
                {
                    if (v.Status.IsGood && v.Value.TryGetDouble(out var d))
                    {
                        var list = _values.GetOrAdd(v.ClientHandle, _ => []);
                        lock (list)
                        {
                            list.Add((d, DateTime.UtcNow));
                        }

                        Interlocked.Increment(ref _count);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        });
    }

    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public int Handles => _values.Count;

    public IReadOnlyList<(double Value, DateTime Arrived)> Of(uint handle)
    {
        if (!_values.TryGetValue(handle, out var list))
        {
            return [];
        }

        lock (list)
        {
            return [.. list];
        }
    }

    public DateTime? LastArrival(uint handle) => Of(handle) is { Count: > 0 } l ? l[^1].Arrived : null;

    /// <summary>Every step +1: no change lost, none repeated, none out of order. Returns a description of the first fault.</summary>
    public static string? CheckConsecutive(IReadOnlyList<(double Value, DateTime Arrived)> values)
    {
        for (var i = 1; i < values.Count; i++)
        {
            if (values[i].Value != values[i - 1].Value + 1)
            {
                return string.Create(CultureInfo.InvariantCulture, $"value {values[i].Value} after {values[i - 1].Value} at index {i} of {values.Count}");
            }
        }

        return null;
    }

    /// <summary>
    /// The subscription kept up for the whole soak: the values received reach (within a few publishing cycles) the
    /// counter's current value on the server, read now, and cover at least half of the nominal 10 changes/s. The
    /// server's own timers lag on a loaded machine, so what it produced (its counter), not the wall clock, is the
    /// measure of "every change"; <see cref="CheckConsecutive"/> proves none was lost in between.
    /// </summary>
    public static async Task AssertCaughtUpAsync(
        EdgeOps.OpcUa.Client.OpcUaClient client, EdgeOps.OpcUa.Types.NodeId node, IReadOnlyList<(double Value, DateTime Arrived)> values, TimeSpan soak)
    {
        var nominal = soak.TotalMilliseconds / 100;
        Assert.True(values.Count >= nominal * 0.5, $"{node}: {values.Count} values in {soak.TotalSeconds:0} s, expected about {nominal:0}.");
        var read = await client.ReadValueAsync(node);
        Assert.True(read.Status.IsGood, $"{node}: read {read.Status}");
        Assert.True(read.Value.TryGetDouble(out var now), $"{node}: not a number");
        Assert.True(now - values[^1].Value <= 30,
            $"{node}: last value received {values[^1].Value}, the server is at {now}: the subscription fell behind or stalled.");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}

internal static class Soak
{
    /// <summary>The soak tests' duration: 60 s, or EDGEOPS_SOAK_SECONDS.</summary>
    public static TimeSpan Duration =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("EDGEOPS_SOAK_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 60);
}
