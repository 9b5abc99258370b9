using System.Net;

namespace EdgeOps.Gateway.Web;

/// <summary>
/// Slows token guessing: after <see cref="MaxFailures"/> refused requests from one address within <see cref="Window"/>,
/// that address gets 429 for <see cref="Window"/> without its token being checked. A success clears the address. Bounded:
/// past <see cref="MaxTracked"/> addresses the ones not seen for a window are forgotten first.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 10;
    public const int MaxTracked = 4096;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<IPAddress, Entry> _entries = [];
    private readonly Lock _gate = new();

    /// <summary>How long <paramref name="address"/> must still wait; zero when it may try.</summary>
    public TimeSpan Blocked(IPAddress? address)
    {
        if (address is null)
        {
            return TimeSpan.Zero;
        }

        lock (_gate)
        {
            var now = time.GetUtcNow();
            return _entries.TryGetValue(address, out var entry) && entry.BlockedUntil > now ? entry.BlockedUntil - now : TimeSpan.Zero;
        }
    }

    /// <summary>A refused token from <paramref name="address"/>.</summary>
    public void Failed(IPAddress? address)
    {
        if (address is null)
        {
            return;
        }

        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!_entries.TryGetValue(address, out var entry) || now - entry.WindowStart > Window)
            {
                if (_entries.Count >= MaxTracked)
                {
                    Prune(now);
                }

                entry = new Entry { WindowStart = now };
                _entries[address] = entry;
            }

            entry.Failures++;
            if (entry.Failures >= MaxFailures)
            {
                entry.BlockedUntil = now + Window;
                entry.Failures = 0;
                entry.WindowStart = now;
            }
        }
    }

    /// <summary>A valid token from <paramref name="address"/>: its count starts again.</summary>
    public void Succeeded(IPAddress? address)
    {
        if (address is null)
        {
            return;
        }

        lock (_gate)
        {
            _entries.Remove(address);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (address, entry) in _entries.ToList())
        {
            if (now - entry.WindowStart > Window && entry.BlockedUntil <= now)
            {
                _entries.Remove(address);
            }
        }

        if (_entries.Count >= MaxTracked)
        {
            // Still full of live entries (a scan from many addresses): start over rather than grow without bound.
            _entries.Clear();
        }
    }

    private sealed class Entry
    {
        public DateTimeOffset WindowStart { get; set; }

        public int Failures { get; set; }

        public DateTimeOffset BlockedUntil { get; set; }
    }
}
