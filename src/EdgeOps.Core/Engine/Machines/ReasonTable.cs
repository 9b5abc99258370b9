using EdgeOps.Core.Model;

namespace EdgeOps.Core.Engine.Machines;

/// <summary>
/// A machine's reason codes numbered once (built-ins, then the line's, then the machine's; a configured code
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

    private static readonly ReasonCode[] BuiltIns =
    [
        ReasonCode.Unknown,
        new() { Code = "running", Label = "Running", Category = StateCategory.Running },
        new() { Code = "fault", Label = "Fault", Category = StateCategory.Down },
        new() { Code = "starved", Label = "Starved (no material from upstream)", Category = StateCategory.Idle },
        new() { Code = "blocked", Label = "Blocked (downstream cannot take parts)", Category = StateCategory.Idle },
        new() { Code = "changeover", Label = "Changeover", Category = StateCategory.Changeover },
        new() { Code = "planned-stop", Label = "Planned stop", Category = StateCategory.PlannedStop },
        new() { Code = "break", Label = "Break", Category = StateCategory.PlannedStop },
        new() { Code = "offline", Label = "Offline (no fresh data)", Category = StateCategory.Offline },
    ];

    private readonly List<ReasonCode> _reasons;
    private readonly Dictionary<string, int> _byCode;

    public ReasonTable(IEnumerable<ReasonCode> lineReasons, IEnumerable<ReasonCode> machineReasons)
    {
        _reasons = [.. BuiltIns];
        _byCode = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _reasons.Count; i++)
        {
            _byCode[_reasons[i].Code] = i;
        }

        foreach (var reason in lineReasons.Concat(machineReasons))
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
