using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Publishing.Tests.Support;

/// <summary>The real <c>edgeops</c> executable as a child process (so a test can SIGKILL it).</summary>
public static class GatewayProcess
{
    /// <summary>edgeops.dll built next to this test assembly's configuration (Debug or Release).</summary>
    public static string Dll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var root = AppContext.BaseDirectory;
            while (root is not null && !File.Exists(Path.Combine(root, "EdgeOps.sln")))
            {
                root = Path.GetDirectoryName(root.TrimEnd('/'));
            }

            var dll = Path.Combine(root ?? ".", "src", "EdgeOps.Gateway", "bin", configuration, "net10.0", "edgeops.dll");
            return File.Exists(dll) ? dll
                : throw new FileNotFoundException($"{dll} is missing: build src/EdgeOps.Gateway ({configuration}) first (./test.sh does).", dll);
        }
    }

    public static ManagedProcess StartSelftest(string broker, string gatewayId, string site, string dataDirectory, double rate, long count = 0) =>
        ManagedProcess.Start("dotnet",
        [
            Dll, "mqtt", "selftest", "--broker", broker, "--gateway-id", gatewayId, "--site", site, "--data", dataDirectory,
            "--rate", rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ]);

    /// <summary>The last seq the outbox file handed out for <paramref name="topic"/> (read after the process exited).</summary>
    public static long LastSeq(string dataDirectory, string topic)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDirectory, "outbox.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM topic_seq WHERE topic = $t";
        command.Parameters.AddWithValue("$t", topic);
        return command.ExecuteScalar() is long value ? value : 0;
    }
}
