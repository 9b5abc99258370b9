using System.CommandLine;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// The <c>edgeops</c> command tree: the root runs the gateway (as <c>edgeops run</c> does, so the systemd unit, the
/// .deb and <c>dotnet run</c> start it with no verb), every other verb comes from <see cref="CommandRegistry"/>.
/// </summary>
internal static class CliApplication
{
    private static readonly Dictionary<string, string> Groups = new(StringComparer.Ordinal)
    {
        ["opcua"] = "commission an OPC UA server: browse, read, watch, scaffold a signal block, trust its certificate",
        ["modbus"] = "commission a Modbus TCP device: read, watch, scan",
        ["mqtt"] = "MQTT tools: tail live messages, publish a test stream",
        ["gpio"] = "commission GPIO inputs and stack lights",
        ["sensors"] = "read the configured I2C/SPI sensors",
        ["maintenance"] = "condition monitoring: record maintenance done",
        ["broker"] = "the embedded MQTT broker: hash a password",
    };

    private static readonly Lazy<RootCommand> Tree = new(Build);

    /// <summary>The command tree, built once (a command belongs to one tree).</summary>
    public static RootCommand Root => Tree.Value;

    /// <summary>Parses <paramref name="args"/> and runs the verb, or the gateway. Returns the process exit code.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        CliInvocation.InvokeAsync(Root, [], args, output, error, cancellationToken);

    private static RootCommand Build()
    {
        var root = new RootCommand("EdgeOps edge gateway. With no command it runs the gateway, as 'edgeops run' does; settings may be "
            + "overridden as --EdgeOps:Section:Key=value (docs/cli.md).");
        // Our --version prints the commit, the runtime and whether this is a Native AOT build, not only the version.
        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Action = new VersionAction();
        }

        RunCommand.AddServiceOptions(root);
        // The root runs the gateway (CliInvocation dispatches it); an action makes "no command" valid for the parser.
        root.SetAction((parsed, cancellationToken) => RunCommand.RunGatewayAsync(parsed, cancellationToken));
        foreach (var command in CommandRegistry.All)
        {
            Command parent = root;
            foreach (var word in command.Path.SkipLast(1))
            {
                var group = parent.Subcommands.FirstOrDefault(c => c.Name == word);
                if (group is null)
                {
                    group = new Command(word, Groups.GetValueOrDefault(word, string.Empty));
                    parent.Add(group);
                }

                parent = group;
            }

            parent.Add(command.Definition);
        }

        return root;
    }
}
