using System.CommandLine;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// One verb of the <c>edgeops</c> command line (<c>edgeops validate</c>, <c>edgeops mqtt tail</c>...): its words, its
/// System.CommandLine definition (options and arguments, from which help, typo suggestions and usage errors come) and
/// its body. Each verb is its own class in this folder and one line in <see cref="CommandRegistry"/>.
/// </summary>
/// <remarks>
/// Values are read from the <see cref="ParseResult"/> by symbol, never bound by reflection, so the verb works in a
/// trimmed or Native AOT build.
/// </remarks>
internal abstract class CliCommand
{
    private Command? _definition;

    /// <summary>The words that select the verb, e.g. ["mqtt", "tail"].</summary>
    public abstract IReadOnlyList<string> Path { get; }

    /// <summary>One sentence for the help listing.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// True when the verb takes the service's settings overrides (<c>--EdgeOps:Mqtt:Broker=...</c>) besides its declared
    /// options: <c>run</c> and <c>validate --settings</c>. Any other unknown option is a usage error.
    /// </summary>
    public virtual bool AcceptsSettingsOverrides(ParseResult parsed) => false;

    /// <summary>The System.CommandLine command for the last word of <see cref="Path"/>, built once.</summary>
    public Command Definition => _definition ??= Build();

    /// <summary>Parses <paramref name="arguments"/> (the words after the verb's path) and runs the verb. Returns the exit code.</summary>
    public Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        CliInvocation.InvokeAsync(Definition, [.. Path.SkipLast(1)], arguments, output, error, cancellationToken);

    /// <summary>Runs the body for a command line that parsed without errors (<see cref="CliInvocation"/> calls it).</summary>
    internal Task<int> ExecuteParsedAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        ExecuteAsync(parsed, output, error, cancellationToken);

    /// <summary>Adds the verb's options and arguments.</summary>
    protected abstract void Define(Command command);

    /// <summary>The verb's body, after the command line parsed without errors.</summary>
    protected abstract Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken);

    private Command Build()
    {
        var command = new Command(Path[^1], Description);
        Define(command);
        CliInvocation.Own(command, this);
        return command;
    }
}
