using Microsoft.Extensions.Options;

namespace MedSpa.Web.Access;

/// <summary>
/// Failed staff sign-ins per client IP within the window (<c>Auth:SignInAttemptsPerIp</c>, <c>Auth:SignInWindow</c>).
/// Only failures count: a clinic's tablets behind one address sign in all day, while someone guessing passwords
/// across many accounts from one address is stopped. Each silo counts what it saw, like the rate limiters.
/// </summary>
public sealed class SignInFailuresPerIp(IOptions<AccessOptions> options)
{
    // Real time, like the session: a simulated practice clock must not lift or extend the block.
    private readonly TimeProvider _time = TimeProvider.System;

    private readonly Dictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    private DateTimeOffset _lastSwept;

    /// <summary>When <paramref name="ip"/> may try again, or null if it may now.</summary>
    public TimeSpan? RefusedFor(string ip)
    {
        var now = _time.GetUtcNow();
        lock (_failures)
        {
            if (!_failures.TryGetValue(ip, out var failures))
            {
                return null;
            }

            Forget(failures, now);
            return failures.Count >= options.Value.SignInAttemptsPerIp ? failures.Peek() + options.Value.SignInWindow - now : null;
        }
    }

    public void RecordFailure(string ip)
    {
        var now = _time.GetUtcNow();
        lock (_failures)
        {
            if (now - _lastSwept > options.Value.SignInWindow)
            {
                // Addresses that stopped failing are dropped, so the table holds only the last window's.
                foreach (var (key, queue) in _failures.ToList())
                {
                    Forget(queue, now);
                    if (queue.Count == 0)
                    {
                        _failures.Remove(key);
                    }
                }

                _lastSwept = now;
            }

            if (!_failures.TryGetValue(ip, out var failures))
            {
                _failures[ip] = failures = new Queue<DateTimeOffset>();
            }

            failures.Enqueue(now);
        }
    }

    private void Forget(Queue<DateTimeOffset> failures, DateTimeOffset now)
    {
        while (failures.Count > 0 && failures.Peek() <= now - options.Value.SignInWindow)
        {
            failures.Dequeue();
        }
    }
}
