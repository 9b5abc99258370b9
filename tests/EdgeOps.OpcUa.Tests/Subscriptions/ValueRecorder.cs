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
