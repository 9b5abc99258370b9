using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeOps.Benchmarks.Mqtt;

/// <summary>A Mosquitto on a free loopback port for the benchmark process (started and killed by PID).</summary>
internal sealed class BenchMosquitto : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    public BenchMosquitto()
    {
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        _directory = Directory.CreateTempSubdirectory("edgeops-bench-mosquitto-").FullName;
        var config = Path.Combine(_directory, "mosquitto.conf");
        File.WriteAllText(config, $"listener {Port} 127.0.0.1\nallow_anonymous true\nuser root\nmax_queued_messages 0\nlog_type error\n");
        var executable = File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";
        _process = Process.Start(new ProcessStartInfo(executable, ["-c", config]) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("mosquitto did not start (apt-get install mosquitto).");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
    }

    public int Port { get; }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
