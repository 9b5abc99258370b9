using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Publishing.Tests.Support;

/// <summary>The <c>edgeops mqtt selftest</c> process and its outbox file, for the publishing tests.</summary>
public static class GatewayProcess
{
    /// <summary>The built gateway (one lookup for every test project: TestSupport's).</summary>
    public static string Dll => EdgeOps.TestSupport.Gateway.GatewayProcess.DllPath;

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
