using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using EdgeOps.Gateway.Configuration;
using EdgeOps.Gateway.Hosting;
using EdgeOps.Publishing.Mqtt;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops validate &lt;line.yaml&gt;...</c>: every error of every file, in compiler format, exit code 1;
/// or "OK" with a one-line summary per file and exit code 0. For CI and for plant engineers before a deploy.
/// </summary>
internal sealed class ValidateCommand : CliCommand
{
    private readonly Argument<string[]> _files = new("line.yaml") { Description = "line files to check", Arity = ArgumentArity.ZeroOrMore };

    private readonly Option<bool> _settings = new("--settings")
    {
        Description = "check the service's settings instead (appsettings, /etc/edgeops/appsettings.json, environment, systemd credentials, "
            + "and the service arguments given here: --config, --data, --EdgeOps:Key=value) as it would read them",
    };

    private readonly SettingsOverride _service = new();

    public override IReadOnlyList<string> Path { get; } = ["validate"];

    public override string Description => "check line files, or with --settings the service's settings; prints every error, exits 1 if any";

    public override bool AcceptsSettingsOverrides(ParseResult parsed) => parsed?.GetValue(_settings) == true;

    protected override void Define(Command command)
    {
        command.Add(_files);
        command.Add(_settings);
        _service.AddTo(command);
    }

    protected override Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (parsed.GetValue(_settings))
        {
            // The service arguments exactly as given, for the host's configuration to read as the service would.
            string[] service = [.. parsed.Tokens
                .Where(t => t.Type is TokenType.Option or TokenType.Argument && !(t.Type is TokenType.Option && t.Value == _settings.Name))
                .Select(t => t.Value)];
            return Task.FromResult(ValidateSettings(service, output, error));
        }

        var arguments = parsed.GetValue(_files) ?? [];
        if (arguments.Length == 0 || new Option[] { _service.Config, _service.Record, _service.Data }.Any(o => parsed.GetResult(o) is not null))
        {
            error.WriteLine("edgeops validate: give line files, or --settings with the service's arguments. Run 'edgeops validate --help' for usage.");
            return Task.FromResult(CliInvocation.UsageError);
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
