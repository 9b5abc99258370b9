using System.Diagnostics;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Historian.Tests.Views;

public sealed class ComposeFileTests
{
    [Fact]
    public async Task CentralComposeFile_PassesDockerComposeConfig()
    {
        var directory = Path.Combine(RepoPaths.Root, "deploy", "central");
        var environment = new Dictionary<string, string?>
        {
            ["INFLUX_ADMIN_PASSWORD"] = "test-password",
            ["INFLUX_TOKEN"] = "test-token",
            ["HISTORIAN_MQTT_PASSWORD"] = "test-mqtt",
            ["GRAFANA_ADMIN_PASSWORD"] = "test-grafana",
            ["HEALTH_MQTT_PASSWORD"] = "test-health",
        };

        // `docker compose` (the CLI plugin) when present; Debian's docker-compose otherwise. Neither needs an engine for `config`.
        var (program, prefix) = await HasComposePluginAsync()
            ? (ManagedProcess.Require("docker", "Install the docker CLI."), new[] { "compose" })
            : (ManagedProcess.Require("docker-compose", "Install Debian's 'docker-compose' package (./test.sh does)."), Array.Empty<string>());
        using var process = ManagedProcess.Start(program, [.. prefix, "-f", "docker-compose.yml", "config"], directory, environment);
        var exited = await WaitAsync(process, TimeSpan.FromSeconds(60));

        Assert.True(exited, $"compose config did not finish. Output:\n{process.Output}");
        Assert.True(process.ExitCode == 0, $"compose config failed ({process.ExitCode}):\n{process.Output}");
        foreach (var service in new[] { "mosquitto:", "influxdb:", "grafana:", "historian:", "prometheus:" })
        {
            Assert.Contains(service, process.Output, StringComparison.Ordinal);
        }

        Assert.Contains("test-token", process.Output, StringComparison.Ordinal);

        // Every service has a health check (the resolved file, so a typo in a key would not count).
        var services = new YamlDotNet.Serialization.DeserializerBuilder().Build()
            .Deserialize<Dictionary<object, object>>(process.Output.Substring(process.Output.IndexOf("services:", StringComparison.Ordinal)))["services"];
        foreach (var (name, service) in (Dictionary<object, object>)services)
        {
            Assert.True(((Dictionary<object, object>)service).ContainsKey("healthcheck"), $"service '{name}' has no healthcheck");
        }
    }

    [Fact]
    public async Task CentralComposeFile_MissingSecret_FailsNamingTheVariable()
    {
        var directory = Path.Combine(RepoPaths.Root, "deploy", "central");
        using var process = ManagedProcess.Start(ManagedProcess.Require("docker-compose", "Install Debian's 'docker-compose' package (./test.sh does)."),
            ["-f", "docker-compose.yml", "config"], directory, new Dictionary<string, string?> { ["INFLUX_TOKEN"] = "t" });
        Assert.True(await WaitAsync(process, TimeSpan.FromSeconds(60)));
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("in .env", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void EnvExample_ListsEveryVariableTheComposeFileReads()
    {
        var directory = Path.Combine(RepoPaths.Root, "deploy", "central");
        var compose = File.ReadAllText(Path.Combine(directory, "docker-compose.yml"));
        var example = File.ReadAllLines(Path.Combine(directory, ".env.example"))
            .Where(l => !l.StartsWith('#') && l.Contains('=', StringComparison.Ordinal)).Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)]).ToHashSet();
        var used = System.Text.RegularExpressions.Regex.Matches(compose, @"(?<!\$)\$\{([A-Z_]+)").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Empty(used.Except(example));
        Assert.Empty(example.Except(used));
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputsGitAndSecretsOutOfTheHistorianImage()
    {
        var ignore = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore"));
        foreach (var pattern in new[] { ".git", "**/bin", "**/obj", "**/node_modules", "**/.env", "**/*.db" })
        {
            Assert.Contains(pattern, ignore);
        }

        // The Dockerfile publishes src/EdgeOps.Historian: the sources and the build props must stay in the context.
        Assert.DoesNotContain(ignore, l => l.Trim() is "src" or "src/" or "Directory.Build.props" or "Directory.Packages.props");
    }

    [Fact]
    public async Task PrometheusConfig_PassesPromtool_WithTheGatewayAndHistorianJobs()
    {
        using var dir = new TempDirectory();
        var source = Path.Combine(RepoPaths.Root, "deploy", "central", "prometheus");
        // The compose mounts these files under /etc/prometheus; promtool checks that they exist, so point it at a copy.
        var config = File.ReadAllText(Path.Combine(source, "prometheus.yml")).Replace("/etc/prometheus/", dir.Path + "/", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir.Path, "prometheus.yml"), config);
        File.Copy(Path.Combine(source, "gateways.yml"), Path.Combine(dir.Path, "gateways.yml"));
        File.WriteAllText(Path.Combine(dir.Path, "gateway-token"), "token");
        Assert.Contains("job_name: edgeops-gateways", config, StringComparison.Ordinal);
        Assert.Contains("job_name: edgeops-historians", config, StringComparison.Ordinal);

        using var process = ManagedProcess.Start(ManagedProcess.Require("promtool", "Install Debian's 'prometheus' package (./test.sh does)."),
            ["check", "config", Path.Combine(dir.Path, "prometheus.yml")], dir.Path);
        Assert.True(await WaitAsync(process, TimeSpan.FromSeconds(60)), process.Output);
        Assert.True(process.ExitCode == 0, process.Output);
    }

    private static async Task<bool> HasComposePluginAsync()
    {
        string docker;
        try
        {
            docker = ManagedProcess.Require("docker", string.Empty);
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        using var probe = ManagedProcess.Start(docker, ["compose", "version"]);
        return await WaitAsync(probe, TimeSpan.FromSeconds(20)) && probe.ExitCode == 0;
    }

    private static async Task<bool> WaitAsync(ManagedProcess process, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!process.HasExited && watch.Elapsed < timeout)
        {
            await Task.Delay(50);
        }

        // Let the output readers drain.
        await Task.Delay(100);
        return process.HasExited;
    }
}
