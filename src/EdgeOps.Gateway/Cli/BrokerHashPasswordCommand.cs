using System.CommandLine;
using System.Globalization;
using EdgeOps.Publishing.Mqtt.Broker;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops broker hash-password [--iterations n]</c>: reads a password from standard input (never from the command
/// line, where <c>ps</c> shows it) and prints the hash for <c>EdgeOps:Mqtt:EmbeddedBroker:Users:{name}:PasswordHash</c>.
/// </summary>
internal sealed class BrokerHashPasswordCommand(TextReader? input = null) : CliCommand
{
    // Declared only to refuse it with the reason: a password on the command line shows in ps.
    private readonly Argument<string[]> _password = new("password") { Arity = ArgumentArity.ZeroOrMore, Hidden = true };

    private readonly CliOptions _options = new CliOptions()
        .Text("iterations", "n", $"PBKDF2 iterations (default {BrokerPasswordHash.DefaultIterations})");

    public override IReadOnlyList<string> Path { get; } = ["broker", "hash-password"];

    public override string Description =>
        "read a password on standard input, print its hash for EdgeOps:Mqtt:EmbeddedBroker:Users:<name>:PasswordHash";

    protected override void Define(Command command)
    {
        command.Add(_password);
        _options.AddTo(command);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        MqttCliArguments args;
        int iterations;
        try
        {
            args = MqttCliArguments.From(_options.Read(parsed), parsed.GetValue(_password) ?? []);
            var text = args.Get("iterations", BrokerPasswordHash.DefaultIterations.ToString(CultureInfo.InvariantCulture));
            if (args.Positional.Count > 0)
            {
                throw new ArgumentException("the password is read from standard input, not from the command line (ps would show it)");
            }

            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < BrokerPasswordHash.MinIterations)
            {
                throw new ArgumentException($"--iterations must be a whole number of at least {BrokerPasswordHash.MinIterations}, found '{text}'");
            }
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"edgeops broker hash-password: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        var reader = input ?? Console.In;
        if (input is null && !Console.IsInputRedirected)
        {
            await error.WriteAsync("password (one line): ").ConfigureAwait(false);
        }

        var password = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(password))
        {
            await error.WriteLineAsync("edgeops broker hash-password: no password on standard input").ConfigureAwait(false);
            return 2;
        }

        await output.WriteLineAsync(BrokerPasswordHash.Create(password, iterations)).ConfigureAwait(false);
        return 0;
    }
}
