using System.Threading.Channels;

namespace EdgeOps.Core.Signals;

/// <summary>
/// Turns hardware (GPIO, I2C sensors, OPC UA, the simulator) into <see cref="Signal"/>s.
/// Data flows one way: a source writes to the engine's channel and never calls back.
/// </summary>
public interface ISignalSource
{
    /// <summary>Short name for logs, metrics and health (e.g. "simulator", "gpio", "opcua:plc1").</summary>
    string Name { get; }

    /// <summary>True while the source has a live link to its hardware; drives /readyz.</summary>
    bool IsConnected { get; }

    /// <summary>
    /// Runs until cancelled. Writes signals to <paramref name="output"/>, awaiting when the channel is full
    /// (counts and state changes are never dropped). Recovers from hardware errors itself (reconnect, retry)
    /// and reports a lost input by writing a <see cref="SignalQuality.Bad"/> signal for it.
    /// </summary>
    Task RunAsync(ChannelWriter<Signal> output, CancellationToken cancellationToken);
}
