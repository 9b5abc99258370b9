using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace EdgeOps.Gateway.Tests.Deploy;

/// <summary>
/// Plays systemd's side of sd_notify: a datagram unix socket that records every notification with the time it came.
/// </summary>
internal sealed class NotifySocketListener : IDisposable
{
    private readonly Socket _socket;
    private readonly List<(TimeSpan At, string Text)> _messages = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Thread _reader;
    private readonly string? _directory;

    /// <param name="abstractName">Bind in the abstract namespace under this name instead of a file.</param>
    public NotifySocketListener(string? abstractName = null)
    {
        string endpointPath;
        if (abstractName is null)
        {
            _directory = Directory.CreateTempSubdirectory("edgeops-notify-").FullName;
            endpointPath = Path.Combine(_directory, "notify.sock");
            SocketName = endpointPath;
        }
        else
        {
            endpointPath = "\0" + abstractName;
            SocketName = "@" + abstractName;
        }

        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(endpointPath));
        _reader = new Thread(Read) { IsBackground = true, Name = "notify-listener" };
        _reader.Start();
    }

    /// <summary>The value for NOTIFY_SOCKET.</summary>
    public string SocketName { get; }

    /// <summary>Every notification line so far, with when it arrived.</summary>
    public IReadOnlyList<(TimeSpan At, string Line)> Lines
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages.SelectMany(m => m.Text.Split('\n').Select(line => (m.At, line)))];
            }
        }
    }

    public TimeSpan Now => _clock.Elapsed;

    /// <summary>When the first line matching <paramref name="match"/> (at or after <paramref name="after"/>) arrived.</summary>
    public async Task<TimeSpan> WaitForAsync(Func<string, bool> match, TimeSpan timeout, Func<string>? diagnostics = null, TimeSpan? after = null)
    {
        var deadline = _clock.Elapsed + timeout;
        var from = after ?? TimeSpan.Zero;
        while (_clock.Elapsed < deadline)
        {
            foreach (var (at, line) in Lines)
            {
                if (at >= from && match(line))
                {
                    return at;
                }
            }

            await Task.Delay(20);
        }

        throw new TimeoutException(
            $"No matching notification within {timeout}. Got:\n{string.Join('\n', Lines.Select(l => $"{l.At.TotalSeconds:0.00} {l.Line}"))}\n{diagnostics?.Invoke()}");
    }

    public int Count(string line, TimeSpan from, TimeSpan to) => Lines.Count(l => l.Line == line && l.At >= from && l.At < to);

    public string Dump() => string.Join('\n', Lines.Select(l => $"{l.At.TotalSeconds:0.00} {l.Line}"));

    public void Dispose()
    {
        _socket.Dispose();
        _reader.Join(TimeSpan.FromSeconds(2));
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private void Read()
    {
        var buffer = new byte[4096];
        while (true)
        {
            int read;
            try
            {
                read = _socket.Receive(buffer);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_messages)
            {
                _messages.Add((_clock.Elapsed, Encoding.UTF8.GetString(buffer, 0, read)));
            }
        }
    }
}
