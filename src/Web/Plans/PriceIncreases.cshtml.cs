using MedSpa.Plans;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Plans;

/// <summary><c>/price-increases</c>: schedule an increase on a plan and follow up who has not confirmed each one.</summary>
[Authorize(Policy = StaffAccess.Admin)]
public sealed class PriceIncreasesModel(IGrainFactory grains) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "plan")]
    public string? PlanId { get; set; }

    [BindProperty]
    public string? NewPrice { get; set; }

    [BindProperty]
    public int? NoticeDays { get; set; }

    /// <summary>
    /// Made when the form is shown, so sending it twice (a double click, a refresh) is the same change, which only
    /// finishes telling members.
    /// </summary>
    [BindProperty]
    public string ChangeId { get; set; } = NewChangeId();

    public IReadOnlyList<Plan> Plans { get; private set; } = [];

    public IReadOnlyList<(Plan Plan, ScheduledPriceChange Change, IReadOnlyList<UnconfirmedMember> Unconfirmed)> Changes { get; private set; } = [];

    public PriceChangeFanOut? Scheduled { get; private set; }

    public string? Problem { get; private set; }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            PlanPages.RequireBound(ModelState);
            var plan = await grains.GetGrain<IPlanGrain>(PlanId ?? "").GetAsync();
            var price = PlanForm.MinorUnits(NewPrice, "The new price") ?? throw new CommandRejectedException(RejectionKind.Invalid, "invalid_price", "Give the new monthly price.");
            Scheduled = await PriceIncreases.ScheduleAsync(
                grains, plan.Id, new PriceChangeRequest(new Money(price, plan.Current.Terms.MonthlyPrice.Currency), NoticeDays, ChangeId), cancellationToken);
            (NewPrice, NoticeDays, ChangeId) = (null, null, NewChangeId());
            ModelState.Clear();
        }
        catch (CommandRejectedException e)
        {
            Problem = e.Message;
        }

        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Plans = await grains.GetGrain<IPlanDirectoryGrain>(IPlanDirectoryGrain.Key).ListAsync();
        var changes = await Task.WhenAll(Plans.Select(async plan =>
        {
            var scheduled = await grains.GetGrain<IPlanGrain>(plan.Id).GetPriceChangesAsync();
            return await Task.WhenAll(scheduled.Select(async change =>
                (plan, change, await PriceIncreases.UnconfirmedAsync(grains, plan.Id, change.ChangeId))));
        }));
        Changes = [.. changes.SelectMany(c => c).OrderByDescending(c => c.change.ScheduledAt)];
    }

    private static string NewChangeId() => $"pc_{Guid.NewGuid():N}";
}
