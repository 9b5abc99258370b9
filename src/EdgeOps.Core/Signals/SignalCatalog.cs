using EdgeOps.Core.Model;

namespace EdgeOps.Core.Signals;

/// <summary>Where a signal handle points: its machine and its definition.</summary>
public sealed record SignalInfo(int Handle, int MachineIndex, MachineDefinition Machine, SignalDefinition Definition)
{
    /// <summary>"machine/signal", the key used in logs, recordings and error messages.</summary>
    public string Key => $"{Machine.Id}/{Definition.Name}";
}

/// <summary>
/// Numbers every configured signal of a line once, so the hot path works with integer handles
/// instead of strings. Handles are dense: 0..Count-1 in the order machines and signals appear in the config.
/// </summary>
public sealed class SignalCatalog
{
    private readonly SignalInfo[] _signals;
    private readonly Dictionary<string, int> _byKey;

    public SignalCatalog(LineDefinition line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var list = new List<SignalInfo>();
        _byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var m = 0; m < line.Machines.Count; m++)
        {
            var machine = line.Machines[m];
            foreach (var signal in machine.Signals)
            {
                var info = new SignalInfo(list.Count, m, machine, signal);
                _byKey[info.Key] = info.Handle;
                list.Add(info);
            }
        }

        _signals = [.. list];
        Line = line;
    }

    public LineDefinition Line { get; }

    public int Count => _signals.Length;

    public SignalInfo this[int handle] => _signals[handle];

    public IReadOnlyList<SignalInfo> All => _signals;

    /// <summary>Finds a handle by machine id and signal name; false when the config has no such signal.</summary>
    public bool TryResolve(string machineId, string signalName, out int handle) =>
        _byKey.TryGetValue($"{machineId}/{signalName}", out handle);

    /// <summary>Finds a handle or throws naming the missing key.</summary>
    public int Resolve(string machineId, string signalName) =>
        TryResolve(machineId, signalName, out var handle)
            ? handle
            : throw new KeyNotFoundException($"No signal '{signalName}' on machine '{machineId}'.");
}
