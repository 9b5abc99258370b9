namespace EdgeOps.Core.Signals;

/// <summary>Quality of a signal value, after OPC UA's Good / Uncertain / Bad severities.</summary>
public enum SignalQuality : byte
{
    Good = 0,
    Uncertain = 1,
    Bad = 2,
}
