using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace MedSpa.Tests;

/// <summary>
/// A real SMTP server for tests: smtp4dev (the local .NET tool in <c>.config/dotnet-tools.json</c>, restored by
/// test.sh) on free loopback ports, with an in-memory store and no IMAP/POP3 (their fixed ports would collide between
/// parallel fixtures). Its ports are chosen up front, so a test can point a silo at it before it runs, stop it and
/// start it again on the same ports.
/// </summary>
public sealed class Smtp4dev : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly HttpClient _api;
    private Process? _process;

    public Smtp4dev()
    {
        SmtpPort = FreePort.Next();
        WebUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        _api = new HttpClient { BaseAddress = WebUrl, Timeout = TimeSpan.FromSeconds(10) };
    }

    public int SmtpPort { get; }

    public Uri WebUrl { get; }

    public bool IsRunning => _process is { HasExited: false };

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "tool", "run", "smtp4dev", "--", $"--urls={WebUrl.ToString().TrimEnd('/')}", $"--smtpport={SmtpPort}", "--db=",
            "--imapport=", "--pop3port=", "--hostname=localhost",
        })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start smtp4dev.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var waited = Stopwatch.StartNew();
        while (!await AnswersAsync())
        {
            if (_process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(90))
            {
                var output = Output();
                await StopAsync();
                throw new InvalidOperationException($"smtp4dev did not start (is `dotnet tool restore` done?):\n{output}");
            }

            await Task.Delay(200);
        }
    }

    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }

    /// <summary>Every message that arrived, newest first, as smtp4dev summarises them (id, from, to[], subject).</summary>
    public async Task<JsonElement[]> MessagesAsync()
    {
        var page = await _api.GetFromJsonAsync<JsonElement>("/api/messages?pageSize=1000");
        return [.. page.GetProperty("results").EnumerateArray().Select(m => m.Clone())];
    }

    /// <summary>The message in full: headers (name, value) and parts.</summary>
    public Task<JsonElement> MessageAsync(string id) => _api.GetFromJsonAsync<JsonElement>($"/api/messages/{id}");

    public Task<string> PlainTextAsync(string id) => _api.GetStringAsync($"/api/messages/{id}/plaintext");

    public Task<string> HtmlAsync(string id) => _api.GetStringAsync($"/api/messages/{id}/html");

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _api.Dispose();
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var response = await _api.GetAsync("/api/messages");
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            using var smtp = new TcpClient();
            await smtp.ConnectAsync("127.0.0.1", SmtpPort);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException)
        {
            return false;
        }
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ".config", "dotnet-tools.json")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No .config/dotnet-tools.json above the test binaries: smtp4dev cannot be found.");
    }
}
