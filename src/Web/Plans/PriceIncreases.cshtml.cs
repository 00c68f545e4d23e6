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
    /// <summary>
    /// The plan picked in the form. Only the form's field is bound: the <c>?plan=</c> the page was opened with merely
    /// preselects it (<see cref="OnGetAsync"/>), so a form posted back to that address changes the plan picked.
    /// </summary>
    [BindProperty]
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

    /// <summary>The name of the plan just raised, for the confirmation.</summary>
    public string? ScheduledPlanName { get; private set; }

    public string? Problem { get; private set; }

    /// <summary>Opened from a plan's page (<c>?plan=</c>) that plan is preselected; from the menu, none is.</summary>
    public Task OnGetAsync(string? plan)
    {
        PlanId = plan;
        return LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            PlanPages.RequireBound(ModelState);
            if (string.IsNullOrWhiteSpace(PlanId))
            {
                throw new CommandRejectedException(RejectionKind.Invalid, "plan_required", "Choose the plan whose price goes up.");
            }

            var plan = await grains.GetGrain<IPlanGrain>(PlanId).GetAsync();
            var price = PlanForm.MinorUnits(NewPrice, "The new price") ?? throw new CommandRejectedException(RejectionKind.Invalid, "invalid_price", "Give the new monthly price.");
            Scheduled = await PriceIncreases.ScheduleAsync(
                grains, plan.Id, new PriceChangeRequest(new Money(price, plan.Current.Terms.MonthlyPrice.Currency), NoticeDays, ChangeId), cancellationToken);
            ScheduledPlanName = plan.Current.Terms.Name;
            // The plan stays picked: a second increase is most often on the same plan.
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
