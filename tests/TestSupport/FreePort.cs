using System.Net;
using System.Net.Sockets;

namespace MedSpa.Tests;

public static class FreePort
{
    // Below Linux's ephemeral range (32768–60999): a port the kernel hands out for "any free port" is released before
    // the silo binds it, and in between an outgoing connection (PostgreSQL, HTTP, the browser) may be given the same
    // number. Ports from here are never handed to outgoing connections. Each test process starts at its own random
    // point and walks forward, so parallel test assemblies rarely meet, and a port in use is skipped.
    private const int First = 20_000;
    private const int Count = 12_000;

    private static int _next = Random.Shared.Next(Count);

    /// <summary>A loopback port nothing listens on now, outside the range outgoing connections are given.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < Count; attempt++)
        {
            var port = First + (Interlocked.Increment(ref _next) % Count);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken (another test process, or a server of this machine): try the next one.
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {First + Count}.");
    }
}
