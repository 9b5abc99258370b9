namespace EdgeOps.Gateway.Cli;

/// <summary>Picks the verb whose path matches the most leading arguments; null means "run the gateway".</summary>
internal static class CommandDispatcher
{
    public static (ICommand Command, IReadOnlyList<string> Arguments)? Find(IReadOnlyList<string> args)
    {
        ICommand? best = null;
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
