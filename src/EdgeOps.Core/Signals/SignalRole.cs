namespace EdgeOps.Core.Signals;

/// <summary>What a signal means to the machine model (design section 3).</summary>
public enum SignalRole
{
    /// <summary>Units processed (infeed). Any two of total/good/reject give the third.</summary>
    Total,
    /// <summary>Units that passed.</summary>
    Good,
    /// <summary>Units scrapped.</summary>
    Reject,
    /// <summary>Units reworked (first-pass yield).</summary>
    Rework,
    /// <summary>Boolean: the machine is producing.</summary>
    Running,
    /// <summary>Boolean or fault code: non-zero means Down.</summary>
    Fault,
    /// <summary>PLC state code, mapped by config to a state category and reason.</summary>
    StateCode,
    /// <summary>Boolean: waiting for material from upstream (Idle, reason starved).</summary>
    Starved,
    /// <summary>Boolean: cannot hand off downstream (Idle, reason blocked).</summary>
    Blocked,
    /// <summary>Boolean: a planned stop (break button, planned maintenance).</summary>
    PlannedStop,
    /// <summary>Boolean: changeover in progress.</summary>
    Changeover,
    /// <summary>A measured quantity for condition monitoring (vibration, temperature, current, pressure...).</summary>
    Analog,
    /// <summary>
    /// An operator's reason button (a GPIO button box, an HMI bit): each press (a non-zero value) gives the
    /// machine's current stop, or the stop that ended last if it ended within the machine's reason window, the
    /// signal's configured reason. Presses never count as machine activity.
    /// </summary>
    ReasonSelect,
    /// <summary>
    /// An integer whose bits are boolean state inputs (<see cref="Model.SignalDefinition.Bits"/>): how S7 and Modbus
    /// machines report most often. One signal on the wire, several inputs in the engine.
    /// </summary>
    StatusWord,
    /// <summary>PackML UnitMode: 1 Production, 2 Maintenance, 3 Manual, others per <see cref="Model.MachineDefinition.UnitModes"/>.</summary>
    UnitMode,
    /// <summary>PackML <c>Admin.StopReason.ID</c>: names the machine's current stop through its fault codes (0: none).</summary>
    StopReason,
    /// <summary>
    /// The production order running on the machine: a text node with the order
    /// id, or a whole number (0 or empty: no order). A new value completes the running order and starts the new one
    /// with the active product; an empty one completes it.
    /// </summary>
    Order,
    /// <summary>
    /// The product being made: a whole number matched against the products' <c>code</c>, or a text node with the
    /// product id (0 or empty: none, the machine's own ideal cycle time). Sets the ideal cycle time from its timestamp on.
    /// </summary>
    Product,
}
