using System.Globalization;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Historian.Tests.Support;

/// <summary>
/// A real Mosquitto on a free loopback port, configured as docs/historian.md asks of a production broker:
/// unlimited in-flight and queued messages for the historian's persistent session.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly string _root;
    private readonly ManagedProcess _process;

    private MosquittoBroker(string root, int port, ManagedProcess process)
    {
        _root = root;
        Port = port;
        _process = process;
    }

    public int Port { get; }

    public string Output => _process.Output;

    public static async Task<MosquittoBroker> StartAsync()
    {
        var program = ManagedProcess.Require("mosquitto", "Install Debian's 'mosquitto' package (./test.sh does).");
        var root = Directory.CreateTempSubdirectory("edgeops-mosquitto-").FullName;
        var port = FreePort.Next();
        var config = Path.Combine(root, "mosquitto.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            listener {port} 127.0.0.1
            allow_anonymous true
            persistence false
            max_inflight_messages 0
            max_queued_messages 0
            max_queued_bytes 0
            log_dest stderr
            log_type error
            log_type warning
            """));
        var process = ManagedProcess.Start(program, ["-c", config], root);
        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(15), () => process.Output);
        return new MosquittoBroker(root, port, process);
    }

    public async ValueTask DisposeAsync()
    {
        _process.Dispose();
        await Task.Yield();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
