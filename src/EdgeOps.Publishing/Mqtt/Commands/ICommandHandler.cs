namespace EdgeOps.Publishing.Mqtt.Commands;

/// <summary>
/// Applies validated commands. The host routes <c>assign-reason</c>, <c>planned-stop</c> and the order verbs to the engine; the maintenance
/// module handles <c>reset-maintenance</c>. Register one handler per verb.
/// </summary>
public interface ICommandHandler
{
    /// <summary>Verbs this handler applies.</summary>
    IReadOnlyCollection<string> Verbs { get; }

    /// <summary>
    /// Applies the command. Return <see cref="CommandResult.Rejected"/> with a clear reason (unknown reason code, no stop at
    /// that time...) when it cannot be applied; in that case nothing may have changed.
    /// </summary>
    ValueTask<CommandResult> HandleAsync(MachineCommand command, CancellationToken cancellationToken);
}

/// <summary>What a handler did.</summary>
public sealed record CommandResult(bool Ok, string? Error)
{
    /// <summary>Applied.</summary>
    public static CommandResult Applied { get; } = new(true, null);

    /// <summary>Not applied, nothing changed, because of <paramref name="error"/>.</summary>
    public static CommandResult Rejected(string error) => new(false, error);
}
