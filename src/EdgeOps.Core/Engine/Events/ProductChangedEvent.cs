namespace EdgeOps.Core.Engine.Events;

/// <summary>
/// The active product of a machine changed (an order started, a product signal, a command): from
/// <see cref="EngineEvent.Timestamp"/> on, performance and capacity use <see cref="IdealTimePerUnit"/>.
/// </summary>
/// <param name="ProductId">The new product; null when none is active (the machine's own ideal cycle time).</param>
/// <param name="PreviousProductId">The product before; null when none was.</param>
/// <param name="IdealTimePerUnit">The ideal time per unit now in force.</param>
/// <param name="Who">Who changed it (<c>signal:{name}</c>, an order's starter, a command's user).</param>
public sealed record ProductChangedEvent(
    int MachineIndex, string MachineId, DateTimeOffset Timestamp, string? ProductId, string? PreviousProductId, TimeSpan IdealTimePerUnit,
    string? Who = null)
    : EngineEvent(MachineIndex, MachineId, Timestamp)
{
    public override string Kind => "productChanged";
}
