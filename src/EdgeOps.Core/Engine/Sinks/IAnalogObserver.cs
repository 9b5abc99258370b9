using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Engine;

/// <summary>Sees analog signals as they pass (condition monitoring), with whether their machine is running.</summary>
public interface IAnalogObserver
{
    void OnAnalog(in Signal signal, bool machineRunning);
}
