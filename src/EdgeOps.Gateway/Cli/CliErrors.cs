using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using EdgeOps.Gateway.Configuration;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// What is wrong with a command line: System.CommandLine's own errors (a missing argument, a value of the wrong type)
/// and every word no option or argument takes, each unknown option or verb with the closest known one.
/// </summary>
/// <remarks>
/// Unmatched words are judged here, not by System.CommandLine's "Unrecognized command or argument", because <c>run</c>
/// and <c>validate --settings</c> also take the service's settings overrides (<c>--EdgeOps:Key=value</c>, read by
/// Microsoft.Extensions.Configuration), which no fixed list of options can declare, and because a typo deserves the
/// closest known name.
/// </remarks>
internal static class CliErrors
{
    /// <summary>Every problem of <paramref name="parsed"/>, one line each; empty when the verb may run.</summary>
    public static IReadOnlyList<string> Find(ParseResult parsed)
    {
        var unmatched = parsed.UnmatchedTokens;
        // System.CommandLine's own message for each unmatched word quotes it; ours replace those.
        var problems = parsed.Errors.Select(e => e.Message)
            .Where(m => !unmatched.Any(word => m.Contains($"'{word}'", StringComparison.Ordinal)))
            .ToList();
        var command = parsed.CommandResult.Command;
        var overrides = CliInvocation.OwnerOf(command)?.AcceptsSettingsOverrides(parsed) ?? command is RootCommand;
        var unknownCommand = false;
        for (var i = 0; i < unmatched.Count; i++)
        {
            var word = unmatched[i];
            if (overrides && SettingsOverride.IsKey(word))
            {
                // "--EdgeOps:Key value": the value is the next word.
                if (!word.Contains('=', StringComparison.Ordinal) && i + 1 < unmatched.Count && !LooksLikeOption(unmatched[i + 1]))
                {
                    i++;
                }

                continue;
            }

            if (!LooksLikeOption(word) && command.Subcommands.Count > 0)
            {
                // "edgeops valdate x": x belongs to the misspelt verb; one message is enough.
                if (!unknownCommand)
                {
                    problems.Add(Unknown(word, command));
                }

                unknownCommand = true;
                continue;
            }

            problems.Add(Unknown(word, command));
            if (LooksLikeOption(word) && !word.Contains('=', StringComparison.Ordinal) && i + 1 < unmatched.Count && !LooksLikeOption(unmatched[i + 1]))
            {
                // "--dept 3": the 3 was meant for the misspelt option; one message is enough.
                i++;
            }
        }

        // Words an argument took: an option there is a typo ("opcua read url node --usr bob"), unless after "--".
        var endOfOptions = parsed.Tokens.ToList().FindIndex(t => t.Type == TokenType.DoubleDash);
        foreach (var argument in parsed.CommandResult.Children.OfType<ArgumentResult>())
        {
            foreach (var token in argument.Tokens)
            {
                var index = parsed.Tokens.ToList().IndexOf(token);
                if (LooksLikeOption(token.Value) && (endOfOptions < 0 || index < endOfOptions) && !(overrides && SettingsOverride.IsKey(token.Value)))
                {
                    problems.Add(Unknown(token.Value, command));
                }
            }
        }

        return problems;
    }

    /// <summary>"edgeops opcua browse": the words of the parsed command.</summary>
    public static string PathOf(ParseResult parsed, IReadOnlyList<string> parentPath)
    {
        var words = new List<string>();
        for (SymbolResult? result = parsed.CommandResult; result is CommandResult { Command: var c } current; result = current.Parent)
        {
            if (c is not RootCommand)
            {
                words.Insert(0, c.Name);
            }
        }

        return string.Join(' ', ["edgeops", .. parentPath, .. words]);
    }

    /// <summary>An option-looking word: '-' then something that is not a number ("-5" is a value).</summary>
    public static bool LooksLikeOption(string word) =>
        word.Length > 1 && word[0] == '-' && !double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string Unknown(string word, Command command)
    {
        if (LooksLikeOption(word))
        {
            var name = word.Split('=', 2)[0];
            return $"unknown option '{name}'{Suggestions.DidYouMean(name, OptionNames(command))}";
        }

        return command.Subcommands.Count > 0
            ? $"unknown command '{word}'{Suggestions.DidYouMean(word, command.Subcommands.SelectMany(s => s.Aliases.Prepend(s.Name)))}"
            : $"unexpected argument '{word}'";
    }

    private static IEnumerable<string> OptionNames(Command command)
    {
        var names = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).ToList();
        foreach (var parent in Ancestors(command))
        {
            names.AddRange(parent.Options.Where(o => o.Recursive).SelectMany(o => o.Aliases.Prepend(o.Name)));
        }

        return names;
    }

    private static IEnumerable<Command> Ancestors(Command command)
    {
        foreach (var parent in command.Parents.OfType<Command>())
        {
            yield return parent;
            foreach (var above in Ancestors(parent))
            {
                yield return above;
            }
        }
    }
}
