using System.Diagnostics;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Historian.Tests.Views;

public sealed class ComposeFileTests
{
    [Fact]
    public async Task CentralComposeFile_PassesDockerComposeConfig()
    {
        var directory = Path.Combine(Support.RepositoryRoot.Path, "deploy", "central");
        var environment = new Dictionary<string, string?>
        {
            ["INFLUX_ADMIN_PASSWORD"] = "test-password",
            ["INFLUX_TOKEN"] = "test-token",
            ["HISTORIAN_MQTT_PASSWORD"] = "test-mqtt",
            ["GRAFANA_ADMIN_PASSWORD"] = "test-grafana",
        };

        // `docker compose` (the CLI plugin) when present; Debian's docker-compose otherwise. Neither needs an engine for `config`.
        var (program, prefix) = await HasComposePluginAsync()
            ? (ManagedProcess.Require("docker", "Install the docker CLI."), new[] { "compose" })
            : (ManagedProcess.Require("docker-compose", "Install Debian's 'docker-compose' package (./test.sh does)."), Array.Empty<string>());
        using var process = ManagedProcess.Start(program, [.. prefix, "-f", "docker-compose.yml", "config"], directory, environment);
        var exited = await WaitAsync(process, TimeSpan.FromSeconds(60));

        Assert.True(exited, $"compose config did not finish. Output:\n{process.Output}");
        Assert.True(process.ExitCode == 0, $"compose config failed ({process.ExitCode}):\n{process.Output}");
        foreach (var service in new[] { "mosquitto:", "influxdb:", "grafana:", "historian:" })
        {
            Assert.Contains(service, process.Output, StringComparison.Ordinal);
        }

        Assert.Contains("test-token", process.Output, StringComparison.Ordinal);
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
