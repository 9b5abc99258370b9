namespace EdgeOps.Gateway.Cli;

internal sealed class HelpCommand : ICommand
{
    public IReadOnlyList<string> Path { get; } = ["help"];

    public string Usage => "help                      this list";

    public Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        output.WriteLine("edgeops [run] [--config <line.yaml>] [--record <file>]   run the gateway (default)");
        foreach (var command in CommandRegistry.All.OrderBy(c => string.Join(' ', c.Path), StringComparer.Ordinal))
        {
            output.WriteLine($"edgeops {command.Usage}");
        }

        return Task.FromResult(0);
    }
}
