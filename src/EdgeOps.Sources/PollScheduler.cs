using System.Runtime.CompilerServices;

namespace EdgeOps.Sources;

/// <summary>
/// One timer for many pollers: each waits for its own next instant (for Modbus, a multiple of its device's poll
/// interval on the clock), the timer is armed for the earliest instant anyone waits for, and when it fires it completes
/// every waiter that is due, in that one wake.
/// </summary>
/// <remarks>
/// <para>
/// Why: ten devices polled every 100 ms each on a timer of their own cost ten timer callbacks per tick, each a thread
/// wake of the runtime's timer thread or the pool, around a few µs of work per poll; the wakes were most of the CPU
/// (docs/PERFORMANCE.md, "Modbus TCP polling"). Devices with the same interval poll at the same instants anyway, so one
/// timer serves them all. Devices with other intervals keep their own instants; it is armed for whichever comes first.
/// </para>
/// <para>
/// On the system clock the timer is a thread of the scheduler's own that sleeps until the next instant: one wake per
/// tick, where a runtime timer costs a wake of the timer thread, a pool worker to run the callback and often a second
/// timer-thread wake to re-arm. The thread starts with the first wait and ends after 10 s with nobody waiting, so a
/// stopped gateway or a line without pollers keeps none. On any other clock (a simulated or a test clock) it is a timer
/// of that clock.
/// </para>
/// <para>
/// A waiter's continuation runs on the scheduler's thread (or timer callback) until its first await (for the Modbus
/// source: sending its requests, a system call each), one waiter after another, so a continuation must not block: a
/// device that is slow to answer delays nobody, because its source awaits the answer. Needs no disposal.
/// </para>
/// </remarks>
public sealed class PollScheduler
{
    // A timer fires on its own millisecond clock, which may run a little ahead of GetUtcNow: a waiter due within this
    // is due now, rather than costing a second wake a moment later. Pollers count their next instant from the instant
    // they waited for, so an early start never makes them poll twice.
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(1);

    private readonly TimeProvider _time;

    // How long the thread outlives the last wait.
    private readonly TimeSpan _idleExit;
    private readonly ITimer? _timer;
    private readonly List<Waiter> _waiters = [];
    private DateTimeOffset _armedFor = DateTimeOffset.MaxValue;
    private Thread? _thread;

    // When the thread wakes by itself; a wait for an earlier instant pulses it.
    private DateTimeOffset _wakeAt = DateTimeOffset.MaxValue;

    /// <summary>A scheduler on <paramref name="timeProvider"/>'s clock (the system clock when null).</summary>
    public PollScheduler(TimeProvider? timeProvider = null)
        : this(timeProvider ?? TimeProvider.System, ownThread: (timeProvider ?? TimeProvider.System) == TimeProvider.System)
    {
    }

    /// <summary>
    /// With <paramref name="ownThread"/> false, a timer of <paramref name="timeProvider"/> even on the system clock (to
    /// compare the two); <paramref name="idleExit"/> is how long the thread outlives the last wait (10 s).
    /// </summary>
    internal PollScheduler(TimeProvider timeProvider, bool ownThread, TimeSpan? idleExit = null)
    {
        _time = timeProvider;
        _idleExit = idleExit ?? TimeSpan.FromSeconds(10);
        if (!ownThread)
        {
            _timer = _time.CreateTimer(static state => ((PollScheduler)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Waiters not yet due (for tests).</summary>
    public int Waiting
    {
        get
        {
            lock (_waiters)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>True while the scheduler's own thread runs (for tests).</summary>
    internal bool HasThread
    {
        get
        {
            lock (_waiters)
            {
                return _thread is not null;
            }
        }
    }

    /// <summary>
    /// Completes at <paramref name="instant"/> (at once when it has passed), on the scheduler's thread or timer together
    /// with every other waiter due then; cancelled when <paramref name="cancellationToken"/> is.
    /// </summary>
    public Task WaitUntilAsync(DateTimeOffset instant, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var now = _time.GetUtcNow();
        if (instant <= now)
        {
            return Task.CompletedTask;
        }

        var waiter = new Waiter(this, instant);
        lock (_waiters)
        {
            _waiters.Add(waiter);
            if (instant < _armedFor)
            {
                _armedFor = instant;
                if (_timer is not null)
                {
                    _timer.Change(instant - now, Timeout.InfiniteTimeSpan);
                }
                else if (_thread is null)
                {
                    _thread = new Thread(RunThread, maxStackSize: 256 * 1024) { IsBackground = true, Name = "Poll scheduler" };
                    _thread.Start();
                }
                else if (instant < _wakeAt)
                {
                    Monitor.Pulse(_waiters);
                }
            }
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Cancel(token), waiter);
        }

        return waiter.Task;
    }

    private static void Complete(List<Waiter> due)
    {
        // In the order they started waiting (the list was walked backwards), outside the lock: a continuation may wait again.
        for (var i = due.Count - 1; i >= 0; i--)
        {
            due[i].Complete();
        }
    }

    private void OnTimer()
    {
        List<Waiter>? due = null;
        lock (_waiters)
        {
            var now = _time.GetUtcNow();
            TakeDueLocked(now, ref due);
            _timer!.Change(_armedFor == DateTimeOffset.MaxValue ? Timeout.InfiniteTimeSpan : _armedFor > now ? _armedFor - now : TimeSpan.Zero,
                Timeout.InfiniteTimeSpan);
        }

        if (due is not null)
        {
            Complete(due);
        }
    }

    // Optimized at once: the loop turns once per tick, so tiered compilation would leave it in unoptimized code for
    // minutes before replacing it on the stack. (The AOT gateway compiles it ahead.)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunThread()
    {
        // The instant last fired for (not the moment the thread woke: the next tick is a whole interval after it).
        var lastFire = _time.GetUtcNow();
        var lastGap = TimeSpan.Zero;
        List<Waiter>? due = null;
        while (true)
        {
            lock (_waiters)
            {
                while (true)
                {
                    var now = _time.GetUtcNow();
                    if (_armedFor <= now + Tolerance)
                    {
                        break;
                    }

                    if (_waiters.Count > 0)
                    {
                        _wakeAt = _armedFor;
                    }
                    else if (now - lastFire >= _idleExit)
                    {
                        _thread = null;
                        _wakeAt = DateTimeOffset.MaxValue;
                        return;
                    }
                    else
                    {
                        // Nobody waits yet: the pollers just woken wait again as their answers come in, most likely for one
                        // gap after the last tick. Sleeping until then spares each of them a pulse (a wake) of this thread.
                        _wakeAt = lastGap > TimeSpan.Zero && lastFire + lastGap > now ? lastFire + lastGap : lastFire + _idleExit;
                    }

                    // Rounded up: Monitor.Wait counts whole milliseconds, and waking early would cost a second wake.
                    Monitor.Wait(_waiters, TimeSpan.FromMilliseconds(Math.Ceiling((_wakeAt - now).TotalMilliseconds)));
                }

                var fired = _armedFor;
                _wakeAt = DateTimeOffset.MaxValue;
                TakeDueLocked(_time.GetUtcNow(), ref due);
                lastGap = fired - lastFire;
                lastFire = fired;
            }

            if (due is not null)
            {
                Complete(due);
                due.Clear();
            }
        }
    }

    /// <summary>Moves the waiters due at <paramref name="now"/> to <paramref name="due"/> and sets the next instant.</summary>
    private void TakeDueLocked(DateTimeOffset now, ref List<Waiter>? due)
    {
        var next = DateTimeOffset.MaxValue;
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            var waiter = _waiters[i];
            if (waiter.Due <= now + Tolerance)
            {
                (due ??= []).Add(waiter);
                _waiters.RemoveAt(i);
            }
            else if (waiter.Due < next)
            {
                next = waiter.Due;
            }
        }

        _armedFor = next;
    }

    private void Remove(Waiter waiter)
    {
        lock (_waiters)
        {
            if (_waiters.Remove(waiter) && _waiters.Count == 0)
            {
                // Nothing left to wake for: a timer is disarmed; the thread sleeps on and ends when idle.
                _armedFor = DateTimeOffset.MaxValue;
                _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>One wait. Its continuations run synchronously, on the timer's callback (see the remarks above).</summary>
    private sealed class Waiter(PollScheduler scheduler, DateTimeOffset due) : TaskCompletionSource
    {
        public DateTimeOffset Due { get; } = due;

        public CancellationTokenRegistration Registration { get; set; }

        public void Complete()
        {
            Registration.Dispose();
            TrySetResult();
        }

        public void Cancel(CancellationToken token)
        {
            scheduler.Remove(this);
            TrySetCanceled(token);
        }
    }
}
