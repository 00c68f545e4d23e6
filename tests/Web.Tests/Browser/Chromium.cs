using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>
/// Headless Debian Chromium driven by Playwright, one browser per test class (a fixture): each test opens its own
/// contexts, which share nothing (cookies, storage) with each other, like separate devices.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>Debian's package; Playwright's own browser download does not work on these machines.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // No sandbox: CI runs as root, where Chromium refuses to start sandboxed.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
    }

    /// <summary>A fresh browser profile on <paramref name="baseAddress"/>; a phone-sized one when <paramref name="phone"/>.</summary>
    public async Task<IPage> OpenAsync(Uri baseAddress, bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
            IsMobile = phone,
            HasTouch = phone,
        });
        // Patience, not a measurement: two cores running a silo, PostgreSQL and Chromium can take seconds to paint.
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}

/// <summary>
/// Where screenshots go: <c>MEDSPA_ARTIFACTS</c>, or <c>artifacts/</c> at the repository root (git-ignored), so a
/// test run leaves a picture of every main page behind.
/// </summary>
public static class Screenshots
{
    public static string Folder { get; } = Resolve();

    public static async Task SaveAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, $"{name}.png"), FullPage = true });
    }

    private static string Resolve()
    {
        if (Environment.GetEnvironmentVariable("MEDSPA_ARTIFACTS") is { Length: > 0 } configured)
        {
            return Path.Combine(configured, "screenshots");
        }

        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "MedSpa.sln")))
        {
            folder = folder.Parent;
        }

        return Path.Combine(folder?.FullName ?? Path.GetTempPath(), "artifacts", "screenshots");
    }
}
