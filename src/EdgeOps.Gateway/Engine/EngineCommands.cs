using System.Threading.Channels;
using EdgeOps.Core.Engine;

namespace EdgeOps.Gateway.Engine;

/// <summary>
/// Runs work on the engine thread (reason assignment from the live view, MQTT commands, planned stops):
/// the engine is single-threaded, so everything that changes it goes through here.
/// </summary>
public sealed class EngineCommands
{
    private readonly Channel<Action<LineEngine, DateTimeOffset>> _work =
        Channel.CreateUnbounded<Action<LineEngine, DateTimeOffset>>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Runs <paramref name="work"/> on the engine thread with the engine's current time and returns its result.</summary>
    public Task<T> InvokeAsync<T>(Func<LineEngine, DateTimeOffset, T> work, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));
        var accepted = _work.Writer.TryWrite((engine, now) =>
        {
            try
            {
                completion.TrySetResult(work(engine, now));
            }
#pragma warning disable CA1031 // The caller gets the exception; the engine loop goes on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                completion.TrySetException(ex);
            }
            finally
            {
                registration.Dispose();
            }
        });
        if (!accepted)
        {
            completion.TrySetException(new InvalidOperationException("The engine has stopped."));
        }

        return completion.Task;
    }

    internal void RunPending(LineEngine engine, DateTimeOffset now)
    {
        while (_work.Reader.TryRead(out var item))
        {
            item(engine, now);
        }
    }

    internal void Complete() => _work.Writer.TryComplete();
}
