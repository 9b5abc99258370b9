using System.Diagnostics;
using System.Text;

namespace EdgeOps.TestSupport.Processes;

/// <summary>
/// A child process a test owns: started with its output captured, stopped by its own PID (never by name),
/// and killed with its process tree when disposed, so a failing test leaves nothing running.
/// </summary>
public sealed class ManagedProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();

    private ManagedProcess(Process process)
    {
        _process = process;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process wrote to stdout and stderr so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Raised for each line the process writes (stdout and stderr).</summary>
    public event Action<string>? LineReceived;

    /// <summary>Writes one line to the process's standard input (a test driving a helper by commands).</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>
    /// Starts <paramref name="fileName"/>. Throws a clear error when the program is not installed:
    /// a test that needs a missing service fails loudly, it never skips.
    /// </summary>
    public static ManagedProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"Could not start '{fileName}': {ex.Message}. Run ./test.sh (it installs what the tests need).", ex);
        }

        var managed = new ManagedProcess(process);
        process.OutputDataReceived += (_, e) => managed.Append(e.Data);
        process.ErrorDataReceived += (_, e) => managed.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>Resolves a program on PATH or in the usual sbin folders, failing loudly when it is missing.</summary>
    public static string Require(string program, string installHint)
    {
        if (Path.IsPathRooted(program))
        {
            return File.Exists(program) ? program
                : throw new InvalidOperationException($"'{program}' is not installed. {installHint}");
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(':').Concat(["/usr/sbin", "/usr/bin", "/sbin", "/usr/local/bin"]))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"'{program}' is not installed. {installHint}");
    }

    /// <summary>Waits until a line containing <paramref name="text"/> has been written.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            if (HasExited)
            {
                // The last lines may still be in the pipe when the exit is seen: drain stdout/stderr, then look again.
                using (var drain = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
                {
                    await _process.WaitForExitAsync(drain.Token);
                }

                if (Output.Contains(text, StringComparison.Ordinal))
                {
                    return;
                }

                throw new InvalidOperationException($"Process exited ({ExitCode}) before writing '{text}'. Output:\n{Output}");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No '{text}' within {timeout.TotalSeconds:0.#} s. Output:\n{Output}");
    }

    /// <summary>
    /// Polls <c>GET <paramref name="path"/></c> on <paramref name="http"/> until it answers 2xx (a server that is up);
    /// throws with the process's output when it exits first or does not answer within <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitUntilAnsweringAsync(HttpClient http, string path, string name, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"{name} exited ({ExitCode}) at start. Output:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{name} did not answer /{path} at {http.BaseAddress} within {timeout.TotalSeconds:0} s. Output:\n{Output}");
    }

    /// <summary>Waits for the process to exit; kills it and throws when it does not within <paramref name="timeout"/>.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"{_process.StartInfo.FileName} did not exit within {timeout}. Output:\n{Output}");
        }
    }

    /// <summary>SIGKILL to this PID (and its children): a power cut, as far as the process can tell.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM to this PID and waits for a graceful exit; SIGKILL if it does not come.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = NativeSignals.Kill(_process.Id, NativeSignals.SigTerm);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }

        LineReceived?.Invoke(line);
    }
}
