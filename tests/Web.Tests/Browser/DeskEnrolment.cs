using MedSpa.Tests;
using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>The desk's enrolment in a browser, for every test that starts from a client who signed on the tablet.</summary>
internal static class DeskEnrolment
{
    /// <summary>Registers the client at <c>/enrol</c>, chooses Premium and has them sign on the pad; returns their id.</summary>
    public static async Task<string> EnrolAsync(IPage page, Clinic clinic, string firstName, string lastName)
    {
        await page.GotoAsync("/enrol");
        var register = page.Locator("form[data-action=register]");
        await register.Locator("input[name=firstName]").FillAsync(firstName);
        await register.Locator("input[name=lastName]").FillAsync(lastName);
        await register.Locator("input[name=email]").FillAsync($"{firstName}.{lastName}.{Guid.NewGuid():N}@example.com".ToLowerInvariant());
        await register.Locator("input[name=phone]").FillAsync("+1 212 555 0199");
        await register.Locator("select[name=homeLocationId]").SelectOptionAsync(clinic.LocationId);
        await register.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/enrol?member=mem_*");
        var id = new Uri(page.Url).Query.Split('=')[1];

        await page.GetByRole(AriaRole.Link, new() { Name = "Choose Premium" }).ClickAsync();
        await Assertions.Expect(page.Locator("pre.agreement")).ToContainTextAsync($"{firstName} {lastName}");

        // The client signs with the mouse standing in for a finger: a few strokes across the pad.
        var pad = page.Locator("canvas.signature");
        await pad.ScrollIntoViewIfNeededAsync();
        var box = (await pad.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + 20, box.Y + (box.Height * 0.7f));
        await page.Mouse.DownAsync();
        for (var i = 1; i <= 12; i++)
        {
            await page.Mouse.MoveAsync(box.X + 20 + (i * 25), box.Y + (box.Height * (i % 2 == 0 ? 0.3f : 0.7f)), new() { Steps = 3 });
        }

        await page.Mouse.UpAsync();
        Assert.StartsWith("data:image/png;base64,", await page.Locator("input#signature").InputValueAsync(), StringComparison.Ordinal);
        await page.Locator("input[name=signedName]").FillAsync($"{firstName} {lastName}");
        await page.Locator("input[name=accepted]").CheckAsync();
        await Screenshots.SaveAsync(page, "enrol");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign and enrol" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-status]")).ToHaveTextAsync("Pending payment");
        return id;
    }
}
