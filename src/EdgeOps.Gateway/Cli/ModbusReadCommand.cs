namespace EdgeOps.Gateway.Cli;

/// <summary><c>edgeops modbus read &lt;host[:port]&gt; &lt;table&gt; &lt;address&gt;</c>: the values, decoded and raw.</summary>
internal sealed class ModbusReadCommand : ICommand
{
    public IReadOnlyList<string> Path { get; } = ["modbus", "read"];

    public string Usage => "modbus read <host[:port]> <holding|input|coil|discrete> <address> [--count n] [--type float32] [--word-order big|little] [--byte-order big|little] [--unit 1] [--timeout ms]   read and decode values";

    public Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        ModbusCliArguments.GuardAsync(error, async () =>
        {
            var args = ModbusCliArguments.Parse(arguments, Usage);
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
