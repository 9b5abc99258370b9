using EdgeOps.Core.Model;

namespace EdgeOps.Core.Engine.Machines;

/// <summary>
/// A machine's reason codes numbered once (built-ins, then its presets', the line's, then the machine's; a configured code
/// replaces a built-in's label and category), so the hot path and the per-reason accumulators use array indexes.
/// </summary>
internal sealed class ReasonTable
{
    public const int Unknown = 0;
    public const int Running = 1;
    public const int Fault = 2;
    public const int Starved = 3;
    public const int Blocked = 4;
    public const int Changeover = 5;
    public const int PlannedStop = 6;
    public const int Break = 7;
    public const int Offline = 8;

    private readonly List<ReasonCode> _reasons;
    private readonly Dictionary<string, int> _byCode;

    /// <param name="presetReasons">Reasons the machine's presets add (PackML, unit modes); the line's and the machine's relabel them.</param>
    public ReasonTable(IEnumerable<ReasonCode> presetReasons, IEnumerable<ReasonCode> lineReasons, IEnumerable<ReasonCode> machineReasons)
    {
        _reasons = [.. MachineStateModel.BuiltInReasons];
        _byCode = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _reasons.Count; i++)
        {
            _byCode[_reasons[i].Code] = i;
        }

        foreach (var reason in presetReasons.Concat(lineReasons).Concat(machineReasons))
        {
            if (_byCode.TryGetValue(reason.Code, out var existing))
            {
                // Offline and Running are the engine's own states; a config may relabel them but not recategorise.
                _reasons[existing] = existing is Running or Offline
                    ? reason with { Category = _reasons[existing].Category }
                    : reason;
            }
            else
            {
                _byCode[reason.Code] = _reasons.Count;
                _reasons.Add(reason);
            }
        }
    }

    public int Count => _reasons.Count;

    public ReasonCode this[int index] => _reasons[index];

    public StateCategory CategoryOf(int index) => _reasons[index].Category;

    public bool TryFind(string code, out int index) => _byCode.TryGetValue(code, out index);

    public IEnumerable<string> Codes => _reasons.Select(r => r.Code);
}
