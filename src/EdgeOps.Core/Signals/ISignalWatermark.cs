namespace EdgeOps.Core.Signals;

/// <summary>
/// A source that can say up to when it has delivered everything: every signal it will still write has a timestamp at
/// or after <see cref="Watermark"/>. The simulator at 300× speed is the case in point: its signals reach the engine a
/// few real milliseconds, so many simulated seconds, after their timestamps. The engine never advances its time past
/// the lowest watermark, so time-driven transitions (stale inputs, shift close) never overtake signals still on the way.
/// Real-time sources (GPIO, OPC UA) do not implement it: for them the wall clock is the watermark.
/// </summary>
public interface ISignalWatermark
{
    /// <summary>All signals with earlier timestamps have been written to the channel.</summary>
    DateTimeOffset Watermark { get; }
}
