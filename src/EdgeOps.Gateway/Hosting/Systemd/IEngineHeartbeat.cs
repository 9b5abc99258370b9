namespace EdgeOps.Gateway.Hosting.Systemd;

/// <summary>
/// The engine loop's proof of life. The loop records a monotonic timestamp (<c>TimeProvider.GetTimestamp()</c>) on every
/// pass and passes at least once a second even when no signal arrives; before its first pass it counts from its
/// construction. The systemd watchdog is fed only while <see cref="SinceLastBeat"/> is within the watchdog interval,
/// so a wedged loop gets the service restarted.
/// </summary>
/// <remarks>
/// Monotonic, not wall-clock: a Pi without RTC boots in the past and NTP then steps the clock by days; a
/// wall-clock "last beat" would look days old at that moment and get a healthy service killed.
/// </remarks>
public interface IEngineHeartbeat
{
    /// <summary>Time since the engine loop last completed a pass.</summary>
    TimeSpan SinceLastBeat { get; }
}
