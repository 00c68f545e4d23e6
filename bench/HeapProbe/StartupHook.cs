using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// Loaded by the runtime before the silo's Main when <c>DOTNET_STARTUP_HOOKS</c> names this assembly (the memory
/// benchmark sets it). With <c>MEDSPA_BENCH_HEAP_PROBE</c> set to a port, every connection to 127.0.0.1 on it gets,
/// after a full blocking compacting collection, one line: <c>heap_bytes working_set_bytes</c>. The process's own
/// figures, from inside, because only inside can a full collection be asked for without a diagnostics tool.
/// </summary>
#pragma warning disable CA1050 // The runtime looks the hook up by this exact name, outside any namespace.
internal static class StartupHook
#pragma warning restore CA1050
{
    public static void Initialize()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("MEDSPA_BENCH_HEAP_PROBE"), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return;
        }

        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        var thread = new Thread(() => Serve(listener)) { IsBackground = true, Name = "bench heap probe" };
        thread.Start();
    }

    private static void Serve(TcpListener listener)
    {
        while (true)
        {
            using var client = listener.AcceptTcpClient();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var heap = GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes;
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            var line = string.Create(CultureInfo.InvariantCulture, $"{heap} {process.WorkingSet64}\n");
            client.GetStream().Write(Encoding.ASCII.GetBytes(line));
        }
    }
}
