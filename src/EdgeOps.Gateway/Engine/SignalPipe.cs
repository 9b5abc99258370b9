using System.Threading.Channels;
using EdgeOps.Core.Signals;

namespace EdgeOps.Gateway.Engine;

/// <summary>
/// The bounded channel from the sources to the engine. Full means sources wait (back-pressure):
/// counts and state changes are never dropped.
/// </summary>
public sealed class SignalPipe
{
    private readonly Channel<Signal> _channel;

    public SignalPipe(int capacity)
    {
        _channel = Channel.CreateBounded<Signal>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public ChannelWriter<Signal> Writer => _channel.Writer;

    public ChannelReader<Signal> Reader => _channel.Reader;

    /// <summary>Signals waiting for the engine (metrics: engine lag).</summary>
    public int Depth => _channel.Reader.Count;
}
