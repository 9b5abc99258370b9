using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.CompilerServices;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// Parses and runs a command line, with the conventions of every <c>edgeops</c> verb: a usage error (unknown option or
/// verb, missing or malformed argument) prints what is wrong with a did-you-mean and exits 2, before the verb's body runs;
/// <c>--help</c> and <c>--version</c> win over errors and exit 0.
/// </summary>
internal static class CliInvocation
{
    /// <summary>Exit code of a usage error (and of settings the gateway refuses to start with).</summary>
    public const int UsageError = 2;

    private static readonly ConditionalWeakTable<Command, CliCommand> Owners = [];

    /// <summary>
    /// Response files (<c>@file</c>) off: an MQTT filter or an argument that starts with '@' is a value, not a file to
    /// expand.
    /// </summary>
    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

    /// <summary>Remembers which verb a command belongs to, so its rules (settings overrides) apply wherever it is parsed.</summary>
    public static void Own(Command command, CliCommand owner) => Owners.AddOrUpdate(command, owner);

    /// <summary>The verb a parsed command belongs to, or null for a group (<c>opcua</c>) or the root.</summary>
    public static CliCommand? OwnerOf(Command command) => Owners.TryGetValue(command, out var owner) ? owner : null;

    /// <summary>
    /// Parses <paramref name="arguments"/> against <paramref name="command"/> and runs it. <paramref name="parentPath"/>
    /// names the words before <paramref name="command"/> when it is parsed on its own (for messages).
    /// </summary>
    public static async Task<int> InvokeAsync(Command command, IReadOnlyList<string> parentPath, IReadOnlyList<string> arguments,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var parsed = command.Parse(arguments, Parsing);
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // The verbs report their own failures; an exception that escapes is a bug and keeps its stack trace.
            EnableDefaultExceptionHandler = false,
            // The gateway's host and the verbs handle Ctrl+C and SIGTERM themselves (systemd stops the service with SIGTERM).
            ProcessTerminationTimeout = null,
        };
        if (parsed.Action is HelpAction or VersionAction)
        {
            return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }

        var problems = CliErrors.Find(parsed);
        if (problems.Count > 0)
        {
            var path = CliErrors.PathOf(parsed, parentPath);
            foreach (var problem in problems)
            {
                await error.WriteLineAsync($"{path}: {problem}").ConfigureAwait(false);
            }

            await error.WriteLineAsync($"Run '{path} --help' for usage.").ConfigureAwait(false);
            return UsageError;
        }

        // Dispatched here rather than through System.CommandLine's actions: it would run its error action for the
        // unmatched words CliErrors accepted (the settings overrides).
        return OwnerOf(parsed.CommandResult.Command) is { } verb
            ? await verb.ExecuteParsedAsync(parsed, output, error, cancellationToken).ConfigureAwait(false)
            : await RunCommand.RunGatewayAsync(parsed, cancellationToken).ConfigureAwait(false);
    }
}
