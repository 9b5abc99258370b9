using System.CommandLine;
namespace EdgeOps.Gateway.Cli;

/// <summary><c>edgeops modbus read &lt;host[:port]&gt; &lt;table&gt; &lt;address&gt;</c>: the values, decoded and raw.</summary>
internal sealed class ModbusReadCommand : CliCommand
{
    private readonly Argument<string> _device = ModbusCliArguments.EndpointArgument();

    private readonly Argument<string>[] _address = ModbusCliArguments.AddressArguments();

    private readonly CliOptions _options = ModbusCliArguments.ValueOptions();

    public override IReadOnlyList<string> Path { get; } = ["modbus", "read"];

    public override string Description => "read values and print them decoded and raw";

    protected override void Define(Command command)
    {
        command.Add(_device);
        Array.ForEach(_address, command.Add);
        _options.AddTo(command);
    }

    protected override Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        ModbusCliArguments.GuardAsync(error, async () =>
        {
            var args = ModbusCliArguments.From(_options.Read(parsed), parsed.GetRequiredValue(_device), _address.Select(parsed.GetRequiredValue));
            var table = args.Table(0);
            var values = ModbusValues.From(args, table, args.Address(1));
            await using var client = args.Client();
            foreach (var line in await values.ReadAsync(client, cancellationToken))
            {
                output.WriteLine(line);
            }

            return 0;
        });
}
