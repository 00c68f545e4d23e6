using System.Globalization;
using MedSpa.Practice;
using MedSpa.Settings;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Settings;

/// <summary>
/// <c>/settings</c>: the retry schedule billing follows from now on (the grain behind <c>PUT /api/v1/settings</c>) and
/// the practice's locations (<c>POST /api/v1/locations</c>).
/// </summary>
[Authorize(Policy = StaffAccess.Admin)]
public sealed class SettingsModel(IGrainFactory grains) : PageModel
{
    /// <summary>Retries as administrators think of them: hours after the first failure, <c>24, 72</c>.</summary>
    [BindProperty]
    public string? RetryHours { get; set; }

    [BindProperty]
    public int? SuspendedDays { get; set; }

    /// <summary>Days an unpaid first payment is chased before the enrolment lapses; empty follows the configuration.</summary>
    [BindProperty]
    public int? FirstPaymentLapseDays { get; set; }

    [BindProperty]
    public NewLocationForm Location { get; set; } = new();

    public PracticeSettings Stored { get; private set; } = new();

    public IReadOnlyList<Location> Locations { get; private set; } = [];

    public IReadOnlyList<string> TimeZones { get; } = [.. TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Where(id => id.Contains('/', StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    public string? Saved { get; private set; }

    public string? Problem { get; private set; }

    public async Task OnGetAsync()
    {
        await LoadAsync();
        var schedule = await SettingsGrain.GetRetryScheduleAsync();
        RetryHours = string.Join(", ", schedule.RetryOffsets.Select(o => o.TotalHours.ToString(CultureInfo.InvariantCulture)));
        SuspendedDays = (int)schedule.SuspendedFor.TotalDays;
        FirstPaymentLapseDays = schedule.FirstPaymentLapseDays;
    }

    public async Task<IActionResult> OnPostRetryScheduleAsync() => await SaveAsync(async () =>
    {
        var offsets = (RetryHours ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(h => double.TryParse(h, NumberStyles.Number, CultureInfo.InvariantCulture, out var hours) && hours is > 0 and < 24 * 366
                ? TimeSpan.FromHours(hours)
                : throw new CommandRejectedException(RejectionKind.Invalid, "invalid_retry_schedule", $"\"{h}\" is not a number of hours; write the retries like 24, 72."))
            .ToArray();
        var suspended = SuspendedDays is { } days and > 0 and < 3660 ? TimeSpan.FromDays(days) : TimeSpan.Zero;
        await SettingsGrain.UpdateAsync((await SettingsGrain.GetAsync()) with { RetrySchedule = new RetrySchedule(offsets, suspended, FirstPaymentLapseDays) });
        return "The retry schedule is saved; failures from now on follow it.";
    });

    public async Task<IActionResult> OnPostDefaultScheduleAsync() => await SaveAsync(async () =>
    {
        await SettingsGrain.UpdateAsync((await SettingsGrain.GetAsync()) with { RetrySchedule = null });
        return "The retry schedule follows the configuration again.";
    });

    public async Task<IActionResult> OnPostLocationAsync() => await SaveAsync(async () =>
    {
        var added = await grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key).AddLocationAsync(
            new NewLocation(Location.Name ?? "", Location.TimeZone ?? "", string.IsNullOrWhiteSpace(Location.Address) ? null : Location.Address.Trim()));
        Location = new NewLocationForm();
        return $"{added.Name} added.";
    });

    private IPracticeSettingsGrain SettingsGrain => grains.GetGrain<IPracticeSettingsGrain>(IPracticeSettingsGrain.Key);

    /// <summary>Runs a change; a refusal is shown on the page with what was typed, and the page is shown again either way.</summary>
    private async Task<IActionResult> SaveAsync(Func<Task<string>> change)
    {
        try
        {
            Saved = await change();
            ModelState.Clear();
            await OnGetAsync();
        }
        catch (CommandRejectedException e)
        {
            Problem = e.Message;
            await LoadAsync();
        }

        return Page();
    }

    private async Task LoadAsync()
    {
        Stored = await SettingsGrain.GetAsync();
        Locations = (await grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync()).Locations;
    }
}

public sealed class NewLocationForm
{
    public string? Name { get; set; }

    public string? TimeZone { get; set; }

    public string? Address { get; set; }
}
