using System.Globalization;
using EdgeOps.Gateway.Configuration;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops validate &lt;line.yaml&gt;...</c>: every error of every file, in compiler format, exit code 1;
/// or "OK" with a one-line summary per file and exit code 0. For CI and for plant engineers before a deploy.
/// </summary>
internal sealed class ValidateCommand : ICommand
{
    public IReadOnlyList<string> Path { get; } = ["validate"];

    public string Usage => "validate <line.yaml>...   check line files; prints every error, exits 1 if any";

    public Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (arguments.Count == 0)
        {
            error.WriteLine("usage: edgeops " + Usage);
            return Task.FromResult(2);
        }

        var failed = false;
        foreach (var file in arguments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = LineConfigLoader.Load(file);
            if (result.IsValid)
            {
                output.WriteLine($"OK {file}: {Summary(result.Line!)}");
                continue;
            }

            failed = true;
            foreach (var problem in result.Errors)
            {
                error.WriteLine(problem.ToString());
            }

            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: {result.Errors.Count} error(s)"));
        }

        return Task.FromResult(failed ? 1 : 0);
    }

    private static string Summary(Core.Model.LineDefinition line) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{line.Site}/{line.Area}/{line.Line}: {line.Machines.Count} machines ({string.Join(", ", line.Machines.Select(m => m.Id))}), "
            + $"{line.Machines.Sum(m => m.Signals.Count)} signals, {line.Shifts.Count} shifts, time zone {line.TimeZone}");
}
