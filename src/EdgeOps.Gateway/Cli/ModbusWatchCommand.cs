using System.CommandLine;
using System.Globalization;
using EdgeOps.Modbus;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops modbus watch &lt;host[:port]&gt; &lt;table&gt; &lt;address&gt;</c>: polls and prints the values whenever
/// they change, and each failure and recovery as a <c>#</c> line, until Ctrl-C (or <c>--seconds</c>).
/// </summary>
internal sealed class ModbusWatchCommand : CliCommand
{
    private readonly Argument<string> _device = ModbusCliArguments.EndpointArgument();

    private readonly Argument<string>[] _address = ModbusCliArguments.AddressArguments();

    private readonly CliOptions _options = ModbusCliArguments.ValueOptions()
        .Text("interval", "ms", "poll interval in milliseconds (default 500)")
        .Text("seconds", "n", "stop after n seconds (default: until Ctrl+C)");

    public override IReadOnlyList<string> Path { get; } = ["modbus", "watch"];

    public override string Description => "poll and print the values whenever they change, until Ctrl+C or --seconds";

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
            var interval = TimeSpan.FromMilliseconds(args.IntOption("interval", 500, 10, 3_600_000));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (args.IntOption("seconds", 0, 0, int.MaxValue) is > 0 and var seconds)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(seconds));
            }

            await using var client = args.Client();
            using var timer = new PeriodicTimer(interval);
            IReadOnlyList<string>? last = null;
            string? failing = null;
            try
            {
                do
                {
                    var time = DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
                    try
                    {
                        var lines = await values.ReadAsync(client, stop.Token);
                        if (failing is not null)
                        {
                            output.WriteLine($"{time}  # answering again");
                            failing = null;
                        }

                        if (last is null || !lines.SequenceEqual(last))
                        {
                            foreach (var line in lines)
                            {
                                output.WriteLine($"{time}  {line}");
                            }

                            last = lines;
                        }
                    }
                    catch (ModbusException ex) when (!stop.IsCancellationRequested)
                    {
                        if (failing != ex.Message)
                        {
                            output.WriteLine($"{time}  # {ex.Message}");
                            failing = ex.Message;
                        }
                    }
                }
                while (await timer.WaitForNextTickAsync(stop.Token));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Ctrl-C or --seconds elapsed.
            }

            return 0;
        });
}
