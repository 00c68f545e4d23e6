using System.Globalization;
using System.Net.Sockets;
using System.Text;
using MedSpa.Tests;

namespace MedSpa.Bench.Cluster;

/// <summary>
/// Memory per active member grain: one silo process, members activated in steps (each by reading its membership
/// through the API, which folds its journal into the grain), and at each step the process's GC heap after a full
/// compacting collection and its working set, asked of the process itself through the bench's startup hook
/// (<c>bench/HeapProbe</c>). Bytes per grain = the slope between the last two steps.
/// </summary>
public static class Memory
{
    public static async Task<Figure> RunAsync(BenchOptions options, PopulatedDatabase populated)
    {
        var probePort = FreePort.Next();
        await using var silo = await SiloProcess.StartAsync(populated.Database, new Dictionary<string, string?>
        {
            ["DOTNET_STARTUP_HOOKS"] = Path.Combine(AppContext.BaseDirectory, "MedSpa.Bench.HeapProbe.dll"),
            ["MEDSPA_BENCH_HEAP_PROBE"] = probePort.ToString(CultureInfo.InvariantCulture),
        });
        using var admin = Api.PatientAdmin(silo);
        var loadBefore = Reports.Machine.LoadAverage();
        var steps = new List<(int Active, long Heap, long WorkingSet)>();
        var activated = 0;
        foreach (var step in options.MemorySteps)
        {
            var from = activated;
            await Api.ForEachAsync(step - from, 16, "activated", async i =>
                await Api.GetOkAsync(admin, $"/api/v1/members/{PopulatedDatabase.MemberId(from + i)}/membership"));
            activated = step;
            var (heap, workingSet) = await ProbeAsync(probePort);
            BenchOptions.Progress($"memory: {step:N0} members active: heap {heap / 1048576.0:F1} MiB, working set {workingSet / 1048576.0:F1} MiB");
            steps.Add((step, heap, workingSet));
        }

        var loadAfter = Reports.Machine.LoadAverage();
        // Stopped as a deployment stops it: killed, it would stay in the membership table as active, and the next
        // silo on this database (the start-up benchmark's) waits over a minute for it to be declared dead.
        await silo.StopAsync(TimeSpan.FromMinutes(2));
        var s = new StringBuilder();
        void Line(FormattableString text) => s.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"### Memory per active member grain");
        Line($"");
        Line($"One silo process on a database of {populated.Members:N0} members' journals ({populated.Events:N0} events, two months each, about {(double)populated.Events / populated.Members:F0} per member; generated with the domain's own decisions and COPYed into `member_events` in {populated.Seeding.TotalSeconds:F0} s, see below). Members activated by `GET /api/v1/members/{{id}}/membership`, 16 at a time. Heap = the GC heap after a full blocking compacting collection, working set = the process's resident memory, both read inside the silo by the bench's startup hook.");
        Line($"");
        Line($"| active members | GC heap MiB | working set MiB | heap bytes per member since the previous step | working set bytes per member since the previous step |");
        Line($"|---:|---:|---:|---:|---:|");
        for (var i = 0; i < steps.Count; i++)
        {
            var (active, heap, ws) = steps[i];
            var perHeap = i == 0 || active == steps[i - 1].Active ? "" : ((heap - steps[i - 1].Heap) / (double)(active - steps[i - 1].Active)).ToString("N0", CultureInfo.InvariantCulture);
            var perWs = i == 0 || active == steps[i - 1].Active ? "" : ((ws - steps[i - 1].WorkingSet) / (double)(active - steps[i - 1].Active)).ToString("N0", CultureInfo.InvariantCulture);
            Line($"| {active:N0} | {heap / 1048576.0:F1} | {ws / 1048576.0:F1} | {perHeap} | {perWs} |");
        }

        var (lastActive, lastHeap, lastWs) = steps[^1];
        var (prevActive, prevHeap, _) = steps.Count > 1 ? steps[^2] : steps[^1];
        var slope = lastActive == prevActive ? double.NaN : (lastHeap - prevHeap) / (double)(lastActive - prevActive);
        Line($"");
        Line($"**{slope:N0} bytes of GC heap per active member grain** (slope between the last two steps); the silo with {lastActive:N0} members active: **{lastHeap / 1048576.0:F0} MiB** of heap, **{lastWs / 1048576.0:F0} MiB** working set. There is no stated limit; for scale, {Reports.Machine.MemoryGiB():F1} GiB on this machine would hold about {Reports.Machine.MemoryGiB() * 1073741824.0 / slope:N0} such grains. Load average (1, 5, 15 min): {loadBefore} before, {loadAfter} after.");
        return new Figure("memory", s.ToString(), Pass: !double.IsNaN(slope));
    }

    private static async Task<(long Heap, long WorkingSet)> ProbeAsync(int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
        using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
        var parts = (await reader.ReadLineAsync() ?? throw new InvalidOperationException("The heap probe closed without an answer.")).Split(' ');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
