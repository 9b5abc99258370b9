namespace EdgeOps.Gateway.Cli;

/// <summary>
/// Picks the verb whose path matches the most leading arguments, for callers that run one verb in process (tests);
/// <c>edgeops</c> itself parses through <see cref="CliApplication"/>. Null means no verb matched.
/// </summary>
internal static class CommandDispatcher
{
    public static (CliCommand Command, IReadOnlyList<string> Arguments)? Find(IReadOnlyList<string> args)
    {
        CliCommand? best = null;
        foreach (var command in CommandRegistry.All)
        {
            if (command.Path.Count <= args.Count
                && command.Path.Select((word, i) => string.Equals(word, args[i], StringComparison.Ordinal)).All(x => x)
                && (best is null || command.Path.Count > best.Path.Count))
            {
                best = command;
            }
        }

        return best is null ? null : (best, args.Skip(best.Path.Count).ToArray());
    }
}
