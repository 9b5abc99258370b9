using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Historian.Tests.Support;

/// <summary>The real <c>edgeops-historian</c> executable as a child process, so a test can SIGKILL it.</summary>
public static class HistorianProcess
{
    public static async Task<ManagedProcess> StartAsync(IDictionary<string, string?> configuration, string workingDirectory)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "edgeops-historian.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the historian first: {dll} is missing.", dll);
        }

        var arguments = new List<string> { dll };
        arguments.AddRange(configuration.Select(kv => $"--{kv.Key}={kv.Value}"));
        arguments.Add("--Logging:LogLevel:EdgeOps.Historian.HistorianService=Information");
        var process = ManagedProcess.Start(ManagedProcess.Require("dotnet", "Install the .NET SDK."), arguments, workingDirectory);
        await process.WaitForOutputAsync("subscribed to", TimeSpan.FromSeconds(60));
        return process;
    }
}
