using System.Net;
using System.Net.Sockets;

namespace MedSpa.Tests;

public static class FreePort
{
    /// <summary>A loopback port the kernel just handed out, so parallel tests do not collide.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
