using EdgeOps.Contract;
using EdgeOps.Core.Engine;
using EdgeOps.Publishing.Mqtt.Commands;

namespace EdgeOps.Publishing.Mqtt.Engine;

/// <summary>
/// <c>assign-reason</c>, <c>planned-stop</c> and the order verbs (<see cref="OrderCommands"/>) applied to the <see cref="LineEngine"/>. The engine is single-threaded:
/// the host passes its way of running work on the engine loop (e.g. <c>(work, ct) =&gt; engineCommands.InvokeAsync(work, ct)</c>).
/// </summary>
public sealed class LineEngineCommandHandler : ICommandHandler
{
    private readonly Func<Func<LineEngine, DateTimeOffset, CommandResult>, CancellationToken, Task<CommandResult>> _onEngine;

    /// <summary>Creates the handler around the host's engine invoker.</summary>
    public LineEngineCommandHandler(Func<Func<LineEngine, DateTimeOffset, CommandResult>, CancellationToken, Task<CommandResult>> onEngine)
    {
        _onEngine = onEngine;
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Verbs { get; } = [CommandVerb.AssignReason, CommandVerb.PlannedStop, .. OrderCommands.Verbs];

    /// <inheritdoc />
    public async ValueTask<CommandResult> HandleAsync(MachineCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return await _onEngine((engine, now) => Apply(engine, now, command), cancellationToken).ConfigureAwait(false);
    }

    private static CommandResult Apply(LineEngine engine, DateTimeOffset now, MachineCommand command)
    {
        var who = command.RecordedBy;
        switch (command)
        {
            case AssignReasonCommand assign when assign.StopId is { } stopId:
                return Result(engine.AssignReason(assign.Machine.MachineId, stopId, assign.ReasonCode, who, out var e1), e1);
            case AssignReasonCommand assign when assign.StopStartedAt is { } start:
                return Result(engine.AssignReason(assign.Machine.MachineId, start, assign.ReasonCode, who, out var e2), e2);
            case AssignReasonCommand assign:
                {
                    if (!engine.TryGetMachineIndex(assign.Machine.MachineId, out var index))
                    {
                        return CommandResult.Rejected($"unknown machine '{assign.Machine.MachineId}'");
                    }

                    var current = engine.GetMachineSnapshot(index, now);
                    if (current.CurrentStopId is not { } currentStop)
                    {
                        return CommandResult.Rejected(
                            $"machine '{assign.Machine.MachineId}' has no stop in progress; give 'stopId' or 'stopStartedAt' for a past stop");
                    }

                    return Result(engine.AssignReason(assign.Machine.MachineId, currentStop, assign.ReasonCode, who, out var e3), e3);
                }

            case PlannedStopCommand planned:
                return Result(engine.SetPlannedStop(planned.Machine.MachineId, planned.Active, now, out var e4), e4);
            default:
                return OrderCommands.Apply(engine, now, command) ?? CommandResult.Rejected($"'{command.Verb}' is not an engine command");
        }
    }

    private static CommandResult Result(bool ok, string? error) =>
        ok ? CommandResult.Applied : CommandResult.Rejected(error ?? "rejected by the engine");
}
