using System.Globalization;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Gateway.Tests.Deploy;

/// <summary>
/// A real Mosquitto on a free loopback port that only lets one user in (password file made with mosquitto_passwd),
/// for the doctor's "reachable and authenticated" check. Stopped by PID on dispose.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class AuthenticatingBroker : IDisposable
{
    private readonly string _directory;
    private readonly ManagedProcess _process;

    private AuthenticatingBroker(string directory, ManagedProcess process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
    }

    public const string UserName = "gateway";
    public const string Password = "line-1-secret";

    public int Port { get; }

    public static async Task<AuthenticatingBroker> StartAsync()
    {
        const string hint = "Install mosquitto (./test.sh does).";
        var mosquitto = ManagedProcess.Require("mosquitto", hint);
        var directory = Directory.CreateTempSubdirectory("edgeops-doctor-broker-").FullName;
        var passwords = Path.Combine(directory, "passwd");
        var made = Shell.Run(ManagedProcess.Require("mosquitto_passwd", hint), ["-b", "-c", passwords, UserName, Password]);
        if (made.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_passwd failed: {made}");
        }

        // Mosquitto started as root drops to the mosquitto user, which must still read the password file.
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(passwords, (UnixFileMode)0b110_100_100);
        var port = FreePort.Next();
        var config = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture,
            $"listener {port} 127.0.0.1\nallow_anonymous false\npassword_file {passwords}\npersistence false\n"));
        var process = ManagedProcess.Start(mosquitto, ["-c", config]);
        var broker = new AuthenticatingBroker(directory, process, port);
        try
        {
            await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(10), () => process.Output);
            return broker;
        }
        catch
        {
            broker.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
