namespace EdgeOps.Publishing.Mqtt;

/// <summary>
/// "On change, at most once per interval" for retained snapshots (KPI): an unchanged snapshot is not sent again; a
/// change inside the interval is held and sent when the interval has passed (the newest one wins), so the last value
/// always gets out. Not thread-safe: one caller (the host's publishing loop) owns it.
/// </summary>
/// <typeparam name="T">The snapshot; compared with <see cref="EqualityComparer{T}.Default"/> (records compare by value).</typeparam>
public sealed class SnapshotThrottle<T>
    where T : notnull
{
    private readonly TimeSpan _minInterval;
    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    /// <summary>At most one snapshot per key per <paramref name="minInterval"/>.</summary>
    public SnapshotThrottle(TimeSpan minInterval)
    {
        _minInterval = minInterval;
    }

    /// <summary>
    /// Offers the current snapshot for <paramref name="key"/>. Returns it when it should be published now, null when it is
    /// unchanged or held back (it is then returned by <see cref="Due"/> later).
    /// </summary>
    public T? Offer(string key, T snapshot, DateTimeOffset now)
    {
        if (!_slots.TryGetValue(key, out var slot))
        {
            _slots[key] = new Slot { Published = snapshot, PublishedAt = now };
            return snapshot;
        }

        if (EqualityComparer<T>.Default.Equals(slot.Published, snapshot))
        {
            slot.Held = default;
            slot.HasHeld = false;
            return default;
        }

        if (now - slot.PublishedAt >= _minInterval)
        {
            slot.Published = snapshot;
            slot.PublishedAt = now;
            slot.HasHeld = false;
            slot.Held = default;
            return snapshot;
        }

        slot.Held = snapshot;
        slot.HasHeld = true;
        return default;
    }

    /// <summary>
    /// Forgets what was offered for <paramref name="key"/>: the next offer is published at once. For a snapshot that was
    /// taken as published but could not be written.
    /// </summary>
    public void Forget(string key) => _slots.Remove(key);

    /// <summary>Held snapshots whose interval has passed; they count as published now.</summary>
    public IReadOnlyList<(string Key, T Snapshot)> Due(DateTimeOffset now)
    {
        List<(string, T)>? due = null;
        foreach (var (key, slot) in _slots)
        {
            if (slot.HasHeld && now - slot.PublishedAt >= _minInterval)
            {
                (due ??= []).Add((key, slot.Held!));
                slot.Published = slot.Held!;
                slot.PublishedAt = now;
                slot.HasHeld = false;
                slot.Held = default;
            }
        }

        return due ?? (IReadOnlyList<(string, T)>)[];
    }

    private sealed class Slot
    {
        public required T Published { get; set; }

        public DateTimeOffset PublishedAt { get; set; }

        public T? Held { get; set; }

        public bool HasHeld { get; set; }
    }
}
