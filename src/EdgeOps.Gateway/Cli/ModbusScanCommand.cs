using System.CommandLine;
using System.Globalization;
using EdgeOps.Modbus;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops modbus scan &lt;host[:port]&gt;</c>, for a device without documentation: which unit ids answer, then for
/// each, which address ranges of each table are readable and which are refused with which exception code. Ranges are
/// probed in blocks; a refused block is probed address by address, so a readable register next to a hole is found.
/// </summary>
internal sealed class ModbusScanCommand : CliCommand
{
    private readonly Argument<string> _device = ModbusCliArguments.EndpointArgument();

    private readonly CliOptions _options = ModbusCliArguments.Options()
        .Text("units", "first-last", "unit ids to probe (default 1-247)")
        .Text("tables", "list", "tables to scan, comma-separated (default holding,input,coil,discrete)")
        .Text("from", "address", "first address (default 0)")
        .Text("to", "address", "last address (default 999)")
        .Text("block", "n", "addresses per probe (default 16)");

    public override IReadOnlyList<string> Path { get; } = ["modbus", "scan"];

    public override string Description => "find the unit ids that answer and the readable address ranges of each table";

    protected override void Define(Command command)
    {
        command.Add(_device);
        _options.AddTo(command);
    }

    protected override Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        ModbusCliArguments.GuardAsync(error, async () =>
        {
            var args = ModbusCliArguments.From(_options.Read(parsed), parsed.GetRequiredValue(_device));
            var (firstUnit, lastUnit) = Range(args.Option("units") ?? "1-247", "--units", 0, 255);
            var from = args.IntOption("from", 0, 0, 65535);
            var to = args.IntOption("to", 999, from, 65535);
            var block = args.IntOption("block", 16, 1, ModbusTables.MaxRegistersPerRead);
            var tables = new List<ModbusTable>();
            foreach (var name in (args.Option("tables") ?? "holding,input,coil,discrete").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                tables.Add(ModbusTables.TryParse(name, out var table)
                    ? table
                    : throw new FormatException($"--tables: '{name}' is not one of {string.Join(", ", ModbusTables.Names)}"));
            }

            await using var client = args.Client(defaultTimeoutMs: 300);
            var answering = new List<byte>();
            for (var unit = firstUnit; unit <= lastUnit; unit++)
            {
                var outcome = await ProbeAsync(client, (byte)unit, ModbusTable.HoldingRegister, (ushort)from, 1, cancellationToken);
                if (outcome is not null)
                {
                    answering.Add((byte)unit);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"unit {unit}: answers"));
                }
            }

            if (answering.Count == 0)
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: no unit id {firstUnit}..{lastUnit} answered at {client.Endpoint}"));
                return 1;
            }

            foreach (var unit in answering)
            {
                foreach (var table in tables)
                {
                    await ScanTableAsync(client, unit, table, from, to, block, output, cancellationToken);
                }
            }

            return 0;
        });

    private static async Task ScanTableAsync(ModbusClient client, byte unit, ModbusTable table, int from, int to, int block, TextWriter output, CancellationToken cancellationToken)
    {
        // Outcome per address: "readable", an exception name, or "no answer"; consecutive equal outcomes print as one range.
        var runStart = from;
        string? runOutcome = null;
        void Emit(int end)
        {
            if (runOutcome is not null)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"unit {unit} {table.Name()} {runStart}..{end}: {runOutcome}"));
            }
        }

        void Record(int address, string outcome)
        {
            if (outcome != runOutcome)
            {
                Emit(address - 1);
                runStart = address;
                runOutcome = outcome;
            }
        }

        for (var start = from; start <= to; start += block)
        {
            var count = Math.Min(block, to - start + 1);
            var outcome = await ProbeAsync(client, unit, table, (ushort)start, count, cancellationToken) ?? "no answer";
            if (outcome == "readable" || count == 1)
            {
                for (var a = start; a < start + count; a++)
                {
                    Record(a, outcome);
                }

                continue;
            }

            for (var a = start; a < start + count; a++)
            {
                Record(a, await ProbeAsync(client, unit, table, (ushort)a, 1, cancellationToken) ?? "no answer");
            }
        }

        Emit(to);
    }

    /// <summary>"readable", "exception n Name", or null when nothing answered.</summary>
    private static async Task<string?> ProbeAsync(ModbusClient client, byte unit, ModbusTable table, ushort address, int count, CancellationToken cancellationToken)
    {
        try
        {
            if (table.IsBits())
            {
                await client.ReadBitsAsync(table, unit, address, new bool[count], cancellationToken);
            }
            else
            {
                await client.ReadRegistersAsync(table, unit, address, new ushort[count], cancellationToken);
            }

            return "readable";
        }
        catch (ModbusServerException ex)
        {
            return string.Create(CultureInfo.InvariantCulture, $"exception {(byte)ex.Code} {ModbusServerException.Name(ex.Code)}");
        }
        catch (ModbusTimeoutException)
        {
            return null;
        }
    }

    private static (int First, int Last) Range(string text, string option, int min, int max)
    {
        var parts = text.Split('-', 2);
        if (int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            && int.TryParse(parts.Length == 2 ? parts[1] : parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            && first >= min && last <= max && first <= last)
        {
            return (first, last);
        }

        throw new FormatException($"{option} '{text}' must be a unit id or a range such as 1-247, within {min}..{max}");
    }
}
