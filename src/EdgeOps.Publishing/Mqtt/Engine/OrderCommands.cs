using EdgeOps.Contract;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Orders;
using EdgeOps.Publishing.Mqtt.Commands;

namespace EdgeOps.Publishing.Mqtt.Engine;

/// <summary>
/// <c>start-order</c>, <c>complete-order</c>, <c>pause-order</c> and <c>resume-order</c> on the <see cref="LineEngine"/>'s
/// order entry points; <see cref="LineEngineCommandHandler"/> runs them on the engine thread. A command on the line's
/// own topics (machine level <see cref="MqttTopics.LineLevel"/>) is the line's order. The engine checks everything
/// before it changes anything, so a refusal, whose reply names the field, leaves the order and the product as they were.
/// </summary>
public static class OrderCommands
{
    /// <summary>The order verbs.</summary>
    public static IReadOnlyCollection<string> Verbs { get; } =
        [CommandVerb.StartOrder, CommandVerb.CompleteOrder, CommandVerb.PauseOrder, CommandVerb.ResumeOrder];

    /// <summary>The reply's error for a refusal: the field first, so a sender can tell which input to fix.</summary>
    public static string Describe(OrderCommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var error = result.Error ?? "refused by the engine";
        return result.Field is null ? error : $"field '{result.Field}': {error}";
    }

    /// <summary>Applies an order command on the engine thread; null when <paramref name="command"/> is no order command.</summary>
    public static CommandResult? Apply(LineEngine engine, DateTimeOffset now, MachineCommand command)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(command);

        // The line's topics carry "_line" where a machine's carry its id; the engine takes the line id for the line.
        var scope = command.Machine.MachineId == MqttTopics.LineLevel ? engine.Catalog.Line.Line : command.Machine.MachineId;

        // "mqtt:" and who: the authenticated user and the display name (mqtt:mes (badge-17)); plain "mqtt" when neither is known.
        var who = command.User is null && string.IsNullOrWhiteSpace(command.Operator) ? "mqtt" : "mqtt:" + command.RecordedBy;
        var result = command switch
        {
            StartOrderCommand start => engine.StartOrder(scope, new OrderStart(start.OrderId, start.Product, start.Quantity, start.Due), now, who),
            OrderChangeCommand { Action: CommandVerb.CompleteOrder } change => engine.CompleteOrder(scope, change.OrderId, now, who),
            OrderChangeCommand { Action: CommandVerb.PauseOrder } change => engine.PauseOrder(scope, change.OrderId, now, who),
            OrderChangeCommand { Action: CommandVerb.ResumeOrder } change => engine.ResumeOrder(scope, change.OrderId, now, who),
            _ => null,
        };
        return result switch
        {
            null => null,
            { Accepted: true } => CommandResult.Applied,
            _ => CommandResult.Rejected(Describe(result)),
        };
    }
}
