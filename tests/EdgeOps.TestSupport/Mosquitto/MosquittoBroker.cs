using System.Globalization;
using System.Text;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.TestSupport.Mosquitto;

/// <summary>
/// A real Mosquitto on a free 127.0.0.1 port, with its own config and persistence directory. It can be stopped and
/// started again on the same port (an outage) and keeps its persistent sessions across that, like a production broker.
/// Started and stopped by PID; disposing kills it and deletes its directory.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private const string InstallHint = "Install it with: apt-get install mosquitto (./test.sh does).";

    private readonly string _executable;
    private readonly string _configPath;
    private readonly StringBuilder _history = new();
    private ManagedProcess? _process;

    private MosquittoBroker(string directory, int port, string executable, string configPath)
    {
        Directory = directory;
        Port = port;
        _executable = executable;
        _configPath = configPath;
    }

    /// <summary>Always 127.0.0.1.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The listener's port.</summary>
    public int Port { get; }

    /// <summary>Scratch directory (config, persistence, password file).</summary>
    public string Directory { get; }

    /// <summary>Whether the process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Everything Mosquitto logged, across restarts (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (_history)
            {
                return _history + (_process?.Output ?? string.Empty);
            }
        }
    }

    /// <summary>Writes a config and starts Mosquitto; retries on another port if the chosen one was taken meanwhile.</summary>
    public static async Task<MosquittoBroker> StartAsync(MosquittoOptions? options = null)
    {
        options ??= new MosquittoOptions();
        var executable = ManagedProcess.Require("mosquitto", InstallHint);
        for (var attempt = 1; ; attempt++)
        {
            var directory = System.IO.Directory.CreateTempSubdirectory("edgeops-mosquitto-").FullName;
            var port = FreePort.Next();
            var config = await WriteConfigAsync(directory, port, options);
            var broker = new MosquittoBroker(directory, port, executable, config);
            try
            {
                await broker.StartAgainAsync();
                return broker;
            }
            catch (Exception) when (attempt < 3)
            {
                await broker.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Starts Mosquitto with a config the caller writes into the scratch directory: <paramref name="writeConfig"/> gets the
    /// directory and a free port for the listener tests connect to, and returns the config's path (e.g. a shipped config
    /// with its paths and ports rewritten). Retries on another port if the chosen one was taken meanwhile.
    /// </summary>
    public static async Task<MosquittoBroker> StartWithConfigAsync(Func<string, int, Task<string>> writeConfig)
    {
        ArgumentNullException.ThrowIfNull(writeConfig);
        var executable = ManagedProcess.Require("mosquitto", InstallHint);
        for (var attempt = 1; ; attempt++)
        {
            var directory = System.IO.Directory.CreateTempSubdirectory("edgeops-mosquitto-").FullName;
            var port = FreePort.Next();
            var broker = new MosquittoBroker(directory, port, executable, await writeConfig(directory, port));
            try
            {
                await broker.StartAgainAsync();
                return broker;
            }
            catch (Exception) when (attempt < 3)
            {
                await broker.DisposeAsync();
            }
        }
    }

    /// <summary>Writes a Mosquitto password file with <c>mosquitto_passwd</c> (hashed as Mosquitto does it).</summary>
    public static async Task WritePasswordFileAsync(string path, IReadOnlyDictionary<string, string> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        await File.WriteAllTextAsync(path, string.Empty);
        var tool = ManagedProcess.Require("mosquitto_passwd", InstallHint);
        foreach (var (user, password) in users)
        {
            using var passwd = ManagedProcess.Start(tool, ["-b", path, user, password], Path.GetDirectoryName(path));
            await passwd.WaitForExitAsync(TimeSpan.FromSeconds(30));
            if (passwd.ExitCode != 0)
            {
                throw new InvalidOperationException($"mosquitto_passwd failed: {passwd.Output}");
            }
        }
    }

    /// <summary>Starts the stopped broker again on the same port with the same persistence.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("Mosquitto is already running.");
        }

        ArchiveOutput();
        _process = ManagedProcess.Start(_executable, ["-c", _configPath], Directory);
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(15), () => "Mosquitto log:\n" + Log);
    }

    /// <summary>SIGTERM (Mosquitto saves its persistence file) and waits for the exit: a broker outage.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        await _process.StopAsync(TimeSpan.FromSeconds(10));
        ArchiveOutput();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            _process.Dispose();
            _process = null;
        }

        await Task.Yield();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }

    private void ArchiveOutput()
    {
        if (_process is null)
        {
            return;
        }

        lock (_history)
        {
            _history.Append(_process.Output);
        }

        _process.Dispose();
        _process = null;
    }

    private static async Task<string> WriteConfigAsync(string directory, int port, MosquittoOptions options)
    {
        var config = new StringBuilder();
        config.AppendLine(CultureInfo.InvariantCulture, $"listener {port} 127.0.0.1");
        // Running as root, Mosquitto would switch to the 'mosquitto' user and lose access to this directory.
        config.AppendLine("user root");
        config.AppendLine("persistence true");
        config.AppendLine(CultureInfo.InvariantCulture, $"persistence_location {directory}/");
        // Offline persistent sessions (a test subscriber during an outage) must not lose QoS 1 messages to a queue cap.
        config.AppendLine("max_queued_messages 0");
        config.AppendLine("max_queued_bytes 0");
        if (options.MaxInflightMessages is { } inflight)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"max_inflight_messages {inflight}");
        }

        config.AppendLine("log_dest stdout");
        config.AppendLine("log_type error");
        config.AppendLine("log_type warning");
        config.AppendLine("log_type notice");
        config.AppendLine("log_type information");
        config.AppendLine("connection_messages true");
        if (options.Users.Count > 0)
        {
            var passwordFile = Path.Combine(directory, "passwd");
            await WritePasswordFileAsync(passwordFile, options.Users);
            config.AppendLine("allow_anonymous false");
            config.AppendLine(CultureInfo.InvariantCulture, $"password_file {passwordFile}");
        }
        else
        {
            config.AppendLine("allow_anonymous true");
        }

        if (options.Tls is { } tls)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"cafile {tls.CaCertificate}");
            config.AppendLine(CultureInfo.InvariantCulture, $"certfile {tls.ServerCertificate}");
            config.AppendLine(CultureInfo.InvariantCulture, $"keyfile {tls.ServerKey}");
            config.AppendLine(options.RequireClientCertificate ? "require_certificate true" : "require_certificate false");
        }

        var path = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(path, config.ToString());
        return path;
    }
}
