using EdgeOps.Core.Signals;

namespace EdgeOps.Sources;

/// <summary>
/// Makes the sources of one kind (GPIO and sensors, OPC UA, Modbus) that a line's signals use. The gateway resolves
/// every registered factory as a collection and runs what they make, so adding a source kind is one factory and one
/// registration, not an edit to the composition root.
/// </summary>
public interface ISignalSourceFactory
{
    /// <summary>
    /// The sources of this kind for <paramref name="catalog"/>'s line, on <paramref name="clock"/> (the engine's: the
    /// simulator's clock when the line is simulated). Empty when no signal is bound to this kind.
    /// </summary>
    IEnumerable<ISignalSource> Create(SignalCatalog catalog, TimeProvider clock);
}
