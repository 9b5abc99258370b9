using System.Globalization;
using EdgeOps.Gateway.Configuration;
using EdgeOps.Gateway.Hosting;
using EdgeOps.Publishing.Mqtt;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops validate &lt;line.yaml&gt;...</c>: every error of every file, in compiler format, exit code 1;
/// or "OK" with a one-line summary per file and exit code 0. For CI and for plant engineers before a deploy.
/// </summary>
internal sealed class ValidateCommand : ICommand
{
    public IReadOnlyList<string> Path { get; } = ["validate"];

    public string Usage => "validate <line.yaml>... | validate --settings [service arguments]   check line files, or the service's settings "
        + "(appsettings, /etc/edgeops/appsettings.json, environment, systemd credentials, arguments) as it would read them; prints every error, exits 1 if any";

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

        if (arguments[0] == "--settings")
        {
            return Task.FromResult(ValidateSettings([.. arguments.Skip(1)], output, error));
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

    /// <summary>
    /// The settings exactly as <c>edgeops</c> (the service) would read them with <paramref name="args"/>: the same
    /// sources in the same order, the same checks (<see cref="GatewaySettings.Check"/>), the line file they name, and
    /// the broker credentials resolved (never printed). Run it as the service would: <c>sudo systemd-run --pipe -p
    /// EnvironmentFile=/etc/edgeops/edgeops.env ... edgeops validate --settings</c> (docs/deploy.md).
    /// </summary>
    private static int ValidateSettings(string[] args, TextWriter output, TextWriter error)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        GatewayHost.AddSettingsSources(builder.Configuration, args);
        var configuration = builder.Configuration;
        var (file, lineErrors) = GatewaySettings.LoadLine(configuration);
        var line = file?.Definition;
        var problems = new List<string>(GatewaySettings.Check(configuration, line, Environment.GetEnvironmentVariable));
        problems.AddRange(lineErrors);

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                error.WriteLine(problem);
            }

            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"settings: {problems.Count} error(s)"));
            return 1;
        }

        var mqtt = configuration.GetSection("EdgeOps:Mqtt").Get<MqttOptions>() ?? new MqttOptions();
        var broker = configuration.GetValue("EdgeOps:Mqtt:Enabled", true)
            ? $"broker {mqtt.Endpoint.Name}{(MqttCredentials.Resolve(mqtt) is { } credentials ? $" as '{credentials.Username}' ({credentials})" : " (anonymous)")}"
            : "MQTT off";
        var production = ProductionMode.Detect(Environment.GetEnvironmentVariable) ?? "not production";
        output.WriteLine($"OK settings: {broker}; line {line!.Site}/{line.Area}/{line.Line}; {production}");
        return 0;
    }

    private static string Summary(Core.Model.LineDefinition line) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{line.Site}/{line.Area}/{line.Line}: {line.Machines.Count} machines ({string.Join(", ", line.Machines.Select(m => m.Id))}), "
            + $"{line.Machines.Sum(m => m.Signals.Count)} signals, {line.Shifts.Count} shifts, time zone {line.TimeZone}");
}
