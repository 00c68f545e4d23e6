using MedSpa.Tests;

namespace MedSpa.Web.Tests.Browser;

/// <summary>The pages' plumbing: the shell, the embedded stylesheet and the npm libraries reach a real browser.</summary>
public sealed class HomePageTests(SiloFixture silo, Chromium chromium) : IClassFixture<SiloFixture>, IClassFixture<Chromium>
{
    [Fact]
    public async Task The_home_page_renders_with_its_stylesheet_and_offers_both_sign_ins()
    {
        var page = await chromium.OpenAsync(silo.Silo.BaseAddress);

        var response = await page.GotoAsync("/");

        Assert.Equal(200, response!.Status);
        Assert.Equal("MedSpa", await page.Locator("h1").TextContentAsync());
        Assert.Equal("/login", await page.GetByText("Staff sign-in").GetAttributeAsync("href"));
        // The stylesheet is served and applied: the bar's background comes from it, not the browser default.
        Assert.Equal("rgb(255, 255, 255)", await page.Locator("header.bar").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await Screenshots.SaveAsync(page, "home");
    }

    [Theory]
    [InlineData("/assets/lib/signalr.min.js", "signalR")]
    [InlineData("/assets/lib/chart.umd.min.js", "Chart")]
    public async Task The_npm_libraries_are_served_by_the_app_itself(string path, string global)
    {
        var page = await chromium.OpenAsync(silo.Silo.BaseAddress);
        await page.GotoAsync("/");

        await page.AddScriptTagAsync(new() { Url = path });

        Assert.True(await page.EvaluateAsync<bool>($"typeof window.{global} !== 'undefined'"));
    }
}
