using System.Diagnostics;

namespace MedSpa.Tests;

public static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds, failing with <paramref name="what"/> after <paramref name="within"/>.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan within, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (condition(value))
            {
                return value;
            }

            if (elapsed.Elapsed > within)
            {
                throw new TimeoutException($"Gave up after {within.TotalSeconds:0}s waiting for {what}; last value: {value}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
