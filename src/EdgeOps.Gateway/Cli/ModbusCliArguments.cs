using System.CommandLine;
using System.Globalization;
using EdgeOps.Modbus;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// Arguments shared by the <c>edgeops modbus</c> verbs: <c>host[:port]</c>, positional words and <c>--name value</c>
/// options (declared here for System.CommandLine, checked here). Every bad value is reported naming the option and the value (exit code 2); a Modbus failure is one
/// clear line naming the device, unit and exception (exit code 1).
/// </summary>
internal sealed class ModbusCliArguments
{
    private readonly CliValues _options;

    private ModbusCliArguments(CliValues options, string host, int port)
    {
        _options = options;
        Host = host;
        Port = port;
    }

    public string Host { get; }

    public int Port { get; }

    public List<string> Positional { get; } = [];

    /// <summary>The device argument every <c>modbus</c> verb starts with.</summary>
    public static Argument<string> EndpointArgument() => new("device") { Description = "the device's host or IP, with :port when not 502", HelpName = "host[:port]" };

    /// <summary>The table and address arguments of <c>modbus read</c> and <c>modbus watch</c>.</summary>
    public static Argument<string>[] AddressArguments() =>
    [
        new("table") { Description = "holding, input, coil or discrete", HelpName = "holding|input|coil|discrete" },
        new("address") { Description = "zero-based address: holding register 40001 is 0" },
    ];

    /// <summary>The options every <c>modbus</c> verb takes; the verb adds its own.</summary>
    public static CliOptions Options() => new CliOptions()
        .Text("timeout", "ms", "request timeout in milliseconds (default 1000; scan 300)");

    /// <summary>The options of the verbs that read values (<c>read</c>, <c>watch</c>).</summary>
    public static CliOptions ValueOptions() => Options()
        .Text("unit", "id", "unit id 0..255 (default 1)")
        .Text("count", "n", "number of values (default 1)")
        .Text("type", "type", $"one of {string.Join(", ", ModbusDataTypes.Names)} (default uint16 for registers, bool for bits)")
        .Text("word-order", "big|little", "order of the 16-bit words of a 32/64-bit value (default big)")
        .Text("byte-order", "big|little", "order of the bytes in each word (default big)");

    /// <summary>The parsed values; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static ModbusCliArguments From(CliValues options, string endpoint, params IEnumerable<string> positional)
    {
        var colon = endpoint.LastIndexOf(':');
        var port = 502;
        var host = endpoint;
        if (colon > 0)
        {
            host = endpoint[..colon];
            if (!int.TryParse(endpoint[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                throw new FormatException($"'{endpoint}': the port after ':' must be 1..65535");
            }
        }

        var parsed = new ModbusCliArguments(options, host, port);
        parsed.Positional.AddRange(positional);
        return parsed;
    }

    public string? Option(string name) => _options.Get(name);

    public int IntOption(string name, int fallback, int min, int max)
    {
        if (_options.Get(name) is not { } text)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new FormatException($"--{name} '{text}' must be a whole number {min}..{max}");
        }

        return value;
    }

    /// <summary>Unit id from <c>--unit</c> (default 1).</summary>
    public byte Unit => (byte)IntOption("unit", 1, 0, 255);

    /// <summary>The table word at <paramref name="index"/>.</summary>
    public ModbusTable Table(int index)
    {
        var text = Positional.ElementAtOrDefault(index);
        return ModbusTables.TryParse(text, out var table)
            ? table
            : throw new FormatException($"table '{text}' is not one of {string.Join(", ", ModbusTables.Names)}");
    }

    /// <summary>The address word at <paramref name="index"/>.</summary>
    public ushort Address(int index)
    {
        var text = Positional.ElementAtOrDefault(index);
        return ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var address)
            ? address
            : throw new FormatException($"address '{text}' must be 0..65535 (zero-based: holding register 40001 is address 0)");
    }

    /// <summary><c>--type</c> (default uint16 for registers, bool for bits), checked against the table.</summary>
    public ModbusDataType Type(ModbusTable table)
    {
        var text = Option("type") ?? (table.IsBits() ? "bool" : "uint16");
        if (!ModbusDataTypes.TryParse(text, out var type))
        {
            throw new FormatException($"--type '{text}' is not one of {string.Join(", ", ModbusDataTypes.Names)}");
        }

        return type.FitsTable(table) ? type : throw new FormatException($"--type {text} does not fit the {table.Name()} table (bits are bool)");
    }

    public ModbusWordOrder WordOrder => ModbusDataTypes.TryParseWordOrder(Option("word-order") ?? "big", out var order)
        ? order
        : throw new FormatException($"--word-order '{Option("word-order")}' must be big or little");

    public ModbusByteOrder ByteOrder => ModbusDataTypes.TryParseByteOrder(Option("byte-order") ?? "big", out var order)
        ? order
        : throw new FormatException($"--byte-order '{Option("byte-order")}' must be big or little");

    public ModbusClient Client(int defaultTimeoutMs = 1000) => new(new ModbusClientOptions
    {
        Host = Host,
        Port = Port,
        RequestTimeout = TimeSpan.FromMilliseconds(IntOption("timeout", defaultTimeoutMs, 1, 60_000)),
        ReconnectMinDelay = TimeSpan.FromMilliseconds(500),
        ReconnectMaxDelay = TimeSpan.FromSeconds(5),
    });

    /// <summary>Runs a verb body, turning failures into one clear line: exit 1 for the device, 2 for the arguments.</summary>
    public static async Task<int> GuardAsync(TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (ModbusException ex)
        {
            error.WriteLine("error: " + ex.Message);
            return 1;
        }
        catch (FormatException ex)
        {
            error.WriteLine("error: " + ex.Message);
            return 2;
        }
    }
}
