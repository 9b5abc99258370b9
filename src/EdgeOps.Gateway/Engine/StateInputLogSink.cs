using System.Globalization;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Signals;

namespace EdgeOps.Gateway.Engine;

/// <summary>
/// Writes the engine's reports about state inputs to the log, naming machine and signal: a code the line file does not
/// map (once per code) and a value that cannot be a code (once per spell). Commissioning reads them in the journal
/// without subscribing to the events topic.
/// </summary>
internal sealed partial class StateInputLogSink(ILogger<StateInputLogSink> logger) : IEngineSink
{
    public void OnEvent(EngineEvent engineEvent)
    {
        switch (engineEvent)
        {
            case UnmappedStateCodeEvent e:
                Unmapped(logger, e.MachineId, e.SignalName, e.Code, Table(e.Role), Effect(e.Role));
                break;
            case InvalidStateInputEvent e:
                Invalid(logger, e.MachineId, e.SignalName, e.Value?.ToString(CultureInfo.InvariantCulture) ?? "no number", e.Problem);
                break;
            default:
                break;
        }
    }

    public void OnSnapshot(LineSnapshot snapshot)
    {
        // Only events matter here.
    }

    private static string Table(SignalRole role) => role switch
    {
        SignalRole.UnitMode => "unitModes",
        SignalRole.StopReason => "faultCodes",
        _ => "stateCodes",
    };

    private static string Effect(SignalRole role) => role switch
    {
        SignalRole.UnitMode => "the mode counts as production",
        SignalRole.StopReason => "the stop keeps the reason its state gives",
        _ => "the machine is Down/unknown while the code lasts",
    };

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning,
        Message = "Machine {Machine}: signal {Signal} sent code {Code}, which '{Table}' does not map; {Effect} (reported once per code)")]
    private static partial void Unmapped(ILogger logger, string machine, string signal, long code, string table, string effect);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "Machine {Machine}: signal {Signal} sent {Value}, {Problem}")]
    private static partial void Invalid(ILogger logger, string machine, string signal, string value, string problem);
}
