using System.Text.RegularExpressions;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Mqtt;
using EdgeOps.TestSupport.Processes;
using MQTTnet;

namespace EdgeOps.Gateway.Tests.Deploy;

/// <summary>
/// Issue 15's first test: the .deb's files installed into a scratch root (<c>dpkg-deb -x</c>), the shipped
/// <c>/etc/edgeops/edgeops.env</c> filled in as docs/deploy.md says, and the installed binary started with exactly the
/// unit's environment (its <c>Environment=</c> and <c>EnvironmentFile=</c> lines, read from the installed unit, as
/// systemd would, plus the <c>INVOCATION_ID</c> systemd sets): what a plant engineer gets on day one.
/// </summary>
[Collection(TrimmedX64Collection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class InstalledDebTests(TrimmedX64Fixture published) : IDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _deb;
    private readonly string _root = Directory.CreateTempSubdirectory("edgeops-deb-root-").FullName;

    [Fact]
    public async Task InstalledDeb_WithTheEnvTemplateFilledIn_PublishesToTheExternalBrokerWithItsLogin()
    {
        using var broker = await AuthenticatingBroker.StartAsync();
        await using var subscriber = await TestSubscriber.StartAsync("127.0.0.1", broker.Port, "edgeops/#",
            o => o.WithCredentials(AuthenticatingBroker.UserName, AuthenticatingBroker.Password));
        var unit = await InstallAsync(new Dictionary<string, string>
        {
            ["EdgeOps__Mqtt__Broker"] = $"mqtt://127.0.0.1:{broker.Port}",
            ["EdgeOps__Mqtt__Username"] = AuthenticatingBroker.UserName,
            ["EdgeOps__Mqtt__Password"] = AuthenticatingBroker.Password,
            ["EdgeOps__GatewayId"] = "deb-gw",
            ["EdgeOps__Simulator__AllowInProduction"] = "true",
        });

        using var gateway = Start(unit);

        var status = await subscriber.WaitForAsync(m => m.Topic == "edgeops/v1/plant-leipzig/_gateways/deb-gw/status"
            && m.Text.Contains("\"online\"", StringComparison.Ordinal), TimeSpan.FromSeconds(90), $"the installed gateway's birth; it said:\n{gateway.Output}");
        Assert.Equal($"mqtt://127.0.0.1:{broker.Port}", status.Json.GetProperty("broker").GetString());
        await subscriber.WaitForAsync(m => m.Topic.EndsWith("/state", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "a machine state");
        Assert.DoesNotContain("Embedded MQTT broker listening", gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(AuthenticatingBroker.Password, gateway.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_root, "var", "lib", "edgeops", "outbox.db")), "the outbox is in the unit's data directory");
        await gateway.StopAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task InstalledDeb_WithAMisspeltKeyInTheEnvFile_StopsTheStartNamingIt()
    {
        var unit = await InstallAsync(new Dictionary<string, string>
        {
            ["EdgeOps__Mqtt__Broker"] = "mqtt://127.0.0.1:1883",
            ["EdgeOps__Simulator__AllowInProduction"] = "true",
        }, line => line.Replace("EdgeOps__Mqtt__Broker=", "EdgeOps__Mqtt__Brokr=", StringComparison.Ordinal));

        using var gateway = Start(unit);
        await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(gateway.ExitCode == 2, gateway.Output);
        Assert.Contains("edgeops: environment variable EdgeOps__Mqtt__Brokr: EdgeOps:Mqtt:Brokr: unknown key 'Brokr' (did you mean 'EdgeOps:Mqtt:Broker'?)",
            gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstalledDeb_OnTheEmbeddedBrokerWithoutOptIn_StopsTheStartNamingTheKey()
    {
        // The template as shipped, but for the demo line's opt-in: no broker configured.
        var unit = await InstallAsync(new Dictionary<string, string> { ["EdgeOps__Simulator__AllowInProduction"] = "true" });

        using var gateway = Start(unit);
        await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(gateway.ExitCode == 2, gateway.Output);
        Assert.Contains("EdgeOps:Mqtt:Broker is 'embedded' in production (started by systemd: INVOCATION_ID is set)", gateway.Output, StringComparison.Ordinal);
        Assert.Contains("EdgeOps:Mqtt:AllowEmbeddedInProduction=true", gateway.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "var", "lib", "edgeops", "outbox.db")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>
    /// Extracts the package into the scratch root, fills in the shipped env template (uncommenting each of
    /// <paramref name="values"/>' keys, which must be there: the template is what is tested), and returns the unit's
    /// environment, paths redirected into the scratch root.
    /// </summary>
    private async Task<UnitEnvironment> InstallAsync(IReadOnlyDictionary<string, string> values, Func<string, string>? edit = null)
    {
        var extracted = Shell.Run("dpkg-deb", ["-x", await DebAsync(), _root]);
        Assert.True(extracted.ExitCode == 0, extracted.ToString());
        var envFile = Path.Combine(_root, "etc", "edgeops", "edgeops.env");
        var template = await File.ReadAllLinesAsync(envFile);
        var filled = template.Select(line =>
        {
            var match = CommentedSetting().Match(line);
            return match.Success && values.TryGetValue(match.Groups[1].Value, out var value) ? $"{match.Groups[1].Value}={value}" : line;
        }).Select(edit ?? (l => l)).ToList();
        foreach (var key in values.Keys)
        {
            Assert.True(template.Any(l => l.StartsWith($"#{key}=", StringComparison.Ordinal)),
                $"deploy/debian/edgeops.env has no '#{key}=' line to fill in:\n{string.Join('\n', template)}");
        }

        // The one addition of this test box: the live view on a free port (the default 8080 may be taken here).
        filled.Add($"EdgeOps__Web__Urls=http://127.0.0.1:{FreePort.Next()}");
        await File.WriteAllLinesAsync(envFile, filled);
        Directory.CreateDirectory(Path.Combine(_root, "var", "lib", "edgeops"));
        return UnitEnvironment.Read(_root, Path.Combine(_root, "lib", "systemd", "system", "edgeops.service"));
    }

    /// <summary>The installed binary under <c>env -i</c>: nothing of the test runner's environment leaks in.</summary>
    private ManagedProcess Start(UnitEnvironment unit)
    {
        var variables = new Dictionary<string, string>(unit.Variables)
        {
            // What systemd adds for every service (Type=notify's NOTIFY_SOCKET is left out: nothing listens here).
            ["INVOCATION_ID"] = Guid.NewGuid().ToString("N"),
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["HOME"] = unit.WorkingDirectory,
            ["CREDENTIALS_DIRECTORY"] = Path.Combine(_root, "etc", "edgeops", "credentials"),
        };
        return ManagedProcess.Start("env",
            ["-i", .. variables.Select(v => $"{v.Key}={v.Value}"), unit.ExecStart], unit.WorkingDirectory);
    }

    private async Task<string> DebAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_deb is null)
            {
                Assert.True(published.Publish.ExitCode == 0, published.Publish.ToString());
                var build = Shell.Run("bash",
                    [RepoPaths.File("deploy", "build-deb.sh"), "--rid", "linux-x64", "--publish-dir", Path.GetDirectoryName(published.Executable)!,
                        "--out", published.Directory],
                    TimeSpan.FromMinutes(10));
                Assert.True(build.ExitCode == 0, build.ToString());
                _deb = build.Output.Trim();
            }

            return _deb;
        }
        finally
        {
            Gate.Release();
        }
    }

    [GeneratedRegex(@"^#(EdgeOps__[A-Za-z0-9_]+)=")]
    private static partial Regex CommentedSetting();
}

/// <summary>
/// What systemd would start from a unit file: <c>ExecStart=</c>, <c>WorkingDirectory=</c>, and the environment of its
/// <c>Environment=</c> lines and <c>EnvironmentFile=</c> (later assignments win, as in systemd). Absolute paths under
/// the package's own directories (<c>/etc/edgeops</c>, <c>/var/lib/edgeops</c>, <c>/usr/lib/edgeops</c>) are taken
/// inside <c>root</c>.
/// </summary>
internal sealed record UnitEnvironment(string ExecStart, string WorkingDirectory, IReadOnlyDictionary<string, string> Variables)
{
    private static readonly string[] PackagePaths = ["/etc/edgeops", "/var/lib/edgeops", "/usr/lib/edgeops"];

    public static UnitEnvironment Read(string root, string unitFile)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        string? exec = null;
        string? workingDirectory = null;
        foreach (var raw in File.ReadAllLines(unitFile))
        {
            var line = raw.Trim();
            if (line.StartsWith("Environment=", StringComparison.Ordinal))
            {
                Assign(variables, line["Environment=".Length..], root);
            }
            else if (line.StartsWith("EnvironmentFile=", StringComparison.Ordinal))
            {
                var path = line["EnvironmentFile=".Length..];
                var optional = path.StartsWith('-');
                var file = InRoot(root, optional ? path[1..] : path);
                if (!File.Exists(file))
                {
                    Assert.True(optional, $"{unitFile}: EnvironmentFile {file} is missing");
                    continue;
                }

                foreach (var setting in File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] is not ('#' or ';')))
                {
                    Assign(variables, setting, root);
                }
            }
            else if (line.StartsWith("ExecStart=", StringComparison.Ordinal))
            {
                exec = InRoot(root, line["ExecStart=".Length..].Split(' ')[0]);
            }
            else if (line.StartsWith("WorkingDirectory=", StringComparison.Ordinal))
            {
                workingDirectory = InRoot(root, line["WorkingDirectory=".Length..]);
            }
        }

        Assert.NotNull(exec);
        Assert.NotNull(workingDirectory);
        return new UnitEnvironment(exec, workingDirectory, variables);
    }

    private static void Assign(Dictionary<string, string> variables, string assignment, string root)
    {
        var eq = assignment.IndexOf('=', StringComparison.Ordinal);
        Assert.True(eq > 0, $"not KEY=VALUE: {assignment}");
        variables[assignment[..eq]] = InRoot(root, assignment[(eq + 1)..].Trim('"'));
    }

    private static string InRoot(string root, string value) =>
        PackagePaths.Any(p => value == p || value.StartsWith(p + "/", StringComparison.Ordinal)) ? root + value : value;
}
