using System.Globalization;
using EdgeOps.TestSupport.Processes;
using Xunit;

namespace EdgeOps.TestSupport.OpcUa;

/// <summary>Options of the node-opcua test server (tests/opcua-server/server.js).</summary>
public sealed record OpcUaTestServerOptions
{
    /// <summary>user:password pairs the server accepts (anonymous is always allowed).</summary>
    public IReadOnlyList<string> Users { get; init; } = ["alice:secret"];
    public int Counters { get; init; } = 10;
    public TimeSpan CounterInterval { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan? TokenLifetime { get; init; }
    public int? MaxNodesPerRead { get; init; }
    public int? MaxNodesPerBrowse { get; init; }
    public int? MaxMonitoredItemsPerCall { get; init; }
    public int? MaxNodesPerTranslate { get; init; }

    /// <summary>node-opcua policy names (None, Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss); null keeps the default None + Basic256Sha256.</summary>
    public IReadOnlyList<string>? SecurityPolicies { get; init; }

    /// <summary>Modes (None, Sign, SignAndEncrypt); null keeps the default None + SignAndEncrypt.</summary>
    public IReadOnlyList<string>? SecurityModes { get; init; }

    /// <summary>Accept passwords in clear (node-opcua allowUnsecurePassword).</summary>
    public bool AllowUnsecurePassword { get; init; }
}

/// <summary>
/// A real node-opcua server on a free 127.0.0.1 port, started from tests/opcua-server (pinned by its package-lock).
/// Stopped by PID; <see cref="KillAsync"/> and <see cref="StartAsync"/> simulate a PLC restart on the same port.
/// Counters continue from a fixed epoch across restarts, as a PLC that kept counting would.
/// </summary>
public sealed class OpcUaTestServer : IAsyncDisposable
{
    private readonly OpcUaTestServerOptions _options;
    private readonly string _pki = Path.Combine(Path.GetTempPath(), "edgeops-opcua-pki-" + Guid.NewGuid().ToString("N"));
    private readonly long _epoch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 100_000;
    private ManagedProcess? _process;

    public OpcUaTestServer(OpcUaTestServerOptions? options = null)
    {
        _options = options ?? new OpcUaTestServerOptions();
        Port = FreePort.Next();
    }

    public int Port { get; }

    public string EndpointUrl => $"opc.tcp://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/UA/EdgeOps";

    /// <summary>The server's own namespace URI (where Plc.* and Counter.* live).</summary>
    public string NamespaceUri { get; private set; } = string.Empty;

    public string Output => _process?.Output ?? string.Empty;

    /// <summary>The server's certificate folder (node-opcua's PKI: own/, trusted/, rejected/).</summary>
    public string PkiDirectory => _pki;

    /// <summary>
    /// The folder of user certificates the server accepts in X509 identity tokens (node-opcua's layout:
    /// trusted/certs/*.der). Nothing is accepted automatically.
    /// </summary>
    public string UserPkiDirectory => Path.Combine(_pki, "user");

    /// <summary>Makes the server accept <paramref name="certificate"/> (DER) as an X509 user identity; call before <see cref="StartAsync"/>.</summary>
    public void TrustUserCertificate(byte[] certificate)
    {
        var folder = Path.Combine(UserPkiDirectory, "trusted", "certs");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "user-" + Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(certificate)) + ".der"), certificate);
    }

    public static string ScriptDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "opcua-server");
            if (File.Exists(Path.Combine(candidate, "server.js")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/opcua-server/server.js not found above " + AppContext.BaseDirectory);
    }

    public async Task StartAsync()
    {
        var dir = ScriptDirectory();
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "node-opcua")))
        {
            throw new InvalidOperationException($"node-opcua is not installed in {dir}: run `npm ci` there (./test.sh does it).");
        }

        var node = ManagedProcess.Require("node", "Install Node.js (Debian: apt-get install nodejs npm), or run ./test.sh.");
        var args = new List<string>
        {
            Path.Combine(dir, "server.js"), "--port", Str(Port), "--pki", _pki, "--counters", Str(_options.Counters),
            "--interval", Str((int)_options.CounterInterval.TotalMilliseconds), "--epoch", _epoch.ToString(CultureInfo.InvariantCulture),
            "--users", string.Join(',', _options.Users), "--user-pki", UserPkiDirectory,
        };
        void Add(string name, int? value)
        {
            if (value is { } v)
            {
                args.Add(name);
                args.Add(Str(v));
            }
        }

        Add("--token-lifetime", _options.TokenLifetime is { } t ? (int)t.TotalMilliseconds : null);
        Add("--max-nodes-per-read", _options.MaxNodesPerRead);
        Add("--max-nodes-per-browse", _options.MaxNodesPerBrowse);
        Add("--max-monitored-items-per-call", _options.MaxMonitoredItemsPerCall);
        Add("--max-nodes-per-translate", _options.MaxNodesPerTranslate);
        if (_options.SecurityPolicies is { } policies)
        {
            args.AddRange(["--security-policies", string.Join(',', policies)]);
        }

        if (_options.SecurityModes is { } modes)
        {
            args.AddRange(["--security-modes", string.Join(',', modes)]);
        }

        if (_options.AllowUnsecurePassword)
        {
            args.AddRange(["--allow-unsecure-password", "1"]);
        }

        _process?.Dispose();
        _process = ManagedProcess.Start(node, args, dir);
        await _process.WaitForOutputAsync("READY", TimeSpan.FromSeconds(90));
        var ready = _process.Output.Split('\n').Last(l => l.Contains("READY", StringComparison.Ordinal));
        NamespaceUri = ready[(ready.IndexOf("namespace=", StringComparison.Ordinal) + "namespace=".Length)..].Trim();
    }

    /// <summary>SIGKILL: the server vanishes without closing anything, like a PLC losing power.</summary>
    public void Kill() => _process?.Kill();

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(5));
            _process.Dispose();
        }

        try
        {
            Directory.Delete(_pki, recursive: true);
        }
        catch (IOException)
        {
            // Temp folder; best effort.
        }
        catch (UnauthorizedAccessException)
        {
            // Temp folder; best effort.
        }
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>An xunit class fixture: one started server per test class.</summary>
public class OpcUaServerFixture : IAsyncLifetime
{
    public OpcUaServerFixture()
        : this(new OpcUaTestServerOptions())
    {
    }

    protected OpcUaServerFixture(OpcUaTestServerOptions options) => Server = new OpcUaTestServer(options);

    public OpcUaTestServer Server { get; }

    public Task InitializeAsync() => Server.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
