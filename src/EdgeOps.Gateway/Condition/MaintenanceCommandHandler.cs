using EdgeOps.Contract;
using EdgeOps.Gateway.Engine;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Mqtt.Commands;

namespace EdgeOps.Gateway.Condition;

/// <summary>
/// <c>cmd/reset-maintenance</c> (<c>{"item": "lubrication", "operator": "j.doe"}</c>): the only way a maintenance
/// item's usage restarts. Runs on the engine thread; an unknown machine or item is refused naming the configured ones
/// and changes nothing. Who = <see cref="MachineCommand.RecordedBy"/>: the authenticated user where the broker says it,
/// the payload's <c>operator</c> as a display name.
/// </summary>
internal sealed class MaintenanceCommandHandler(ConditionService conditions, EngineCommands commands) : ICommandHandler
{
    public IReadOnlyCollection<string> Verbs { get; } = [CommandVerb.ResetMaintenance];

    public async ValueTask<CommandResult> HandleAsync(MachineCommand command, CancellationToken cancellationToken)
    {
        if (command is not ResetMaintenanceCommand reset)
        {
            return CommandResult.Rejected($"'{command?.Verb}' is not a maintenance command");
        }

        var by = reset.RecordedBy;
        var error = await commands.InvokeAsync((_, now) => conditions.Reset(reset.Machine.MachineId, reset.Item, by, now), cancellationToken)
            .ConfigureAwait(false);
        return error is null ? CommandResult.Applied : CommandResult.Rejected(error);
    }
}
