using System.Globalization;
using MedSpa.Clock;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace MedSpa.Web.Clock;

/// <summary>
/// <c>/clock</c>: the simulated clock, moved by the same call as <c>POST /api/v1/admin/clock/advance</c>. Like the API it
/// does not exist (404) when the clock is real.
/// </summary>
[Authorize(Policy = StaffAccess.Admin)]
public sealed class ClockModel(IGrainFactory grains, IOptions<ClockOptions> options) : PageModel
{
    /// <summary>An instant typed in the field, read as UTC (<c>2027-01-01T09:00</c>, or with an offset).</summary>
    [BindProperty]
    public string? To { get; set; }

    public ClockReading Reading { get; private set; } = null!;

    public string? Moved { get; private set; }

    public string? Problem { get; private set; }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (options.Value.Mode != ClockMode.Simulated)
        {
            context.Result = NotFound();
            return;
        }

        await next();
    }

    public async Task OnGetAsync() => Reading = await Clock.GetAsync();

    public Task<IActionResult> OnPostByAsync(string by) => AdvanceAsync(new ClockAdvance(by, null));

    public Task<IActionResult> OnPostToAsync() =>
        AdvanceAsync(DateTimeOffset.TryParse(To, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var to)
            ? new ClockAdvance(null, to)
            : null);

    private IClockGrain Clock => grains.GetGrain<IClockGrain>(IClockGrain.Key);

    private async Task<IActionResult> AdvanceAsync(ClockAdvance? request)
    {
        try
        {
            var before = (await Clock.GetAsync()).Now;
            Reading = await ClockEndpoints.AdvanceAsync(grains, request ?? throw new CommandRejectedException(
                RejectionKind.Invalid, "invalid_clock_advance", $"\"{To}\" is not an instant such as 2027-01-01T09:00 (UTC)."));
            Moved = $"Moved from {before.UtcDateTime:yyyy-MM-dd HH:mm} UTC; everything due on the way has run.";
        }
        catch (CommandRejectedException e)
        {
            Problem = e.Message;
            Reading = await Clock.GetAsync();
        }

        return Page();
    }
}
