using System.CommandLine;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// A verb's <c>--name value</c> options, declared once for System.CommandLine (help, typos, arity) and read back by name.
/// Values stay text: each verb checks them itself and names the option and the value when one is wrong.
/// </summary>
internal sealed class CliOptions
{
    private readonly Dictionary<string, Option> _byName = new(StringComparer.Ordinal);

    /// <summary>An option taking one value: <c>--name value</c>.</summary>
    public CliOptions Text(string name, string valueName, string description)
    {
        _byName.Add(name, new Option<string>("--" + name) { HelpName = valueName, Description = description });
        return this;
    }

    /// <summary>An option that may be given several times: <c>--name a --name b</c>.</summary>
    public CliOptions Many(string name, string valueName, string description)
    {
        _byName.Add(name, new Option<string[]>("--" + name) { HelpName = valueName, Description = description, Arity = ArgumentArity.OneOrMore });
        return this;
    }

    /// <summary>A switch without a value: <c>--name</c>.</summary>
    public CliOptions Flag(string name, string description)
    {
        _byName.Add(name, new Option<bool>("--" + name) { Description = description });
        return this;
    }

    public void AddTo(Command command)
    {
        foreach (var option in _byName.Values)
        {
            command.Add(option);
        }
    }

    /// <summary>The values given in <paramref name="parsed"/>.</summary>
    public CliValues Read(ParseResult parsed) => new(parsed, _byName);
}

/// <summary>The options of one parsed command line, by name (without the dashes).</summary>
internal sealed class CliValues(ParseResult parsed, IReadOnlyDictionary<string, Option> options)
{
    /// <summary>The value of <c>--name</c>, or null when it was not given.</summary>
    public string? Get(string name) => parsed.GetValue((Option<string>)options[name]);

    /// <summary>Whether the switch <c>--name</c> was given.</summary>
    public bool Flag(string name) => parsed.GetValue((Option<bool>)options[name]);

    /// <summary>Every value of a repeatable <c>--name</c>, in order.</summary>
    public IReadOnlyList<string> Many(string name) => parsed.GetValue((Option<string[]>)options[name]) ?? [];
}
