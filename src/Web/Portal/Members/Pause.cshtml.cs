using MedSpa.Members;
using MedSpa.Plans;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Portal;

/// <summary>The member pauses from today until a date the plan's pause rules allow, or resumes early.</summary>
public sealed class PauseModel(IGrainFactory grains, TimeProvider clock) : PageModel
{
    public MemberOverview Overview { get; private set; } = null!;

    public PauseRules Rules => Overview.Terms?.Pause ?? new PauseRules();

    public DateOnly Today => MemberOverview.Today(Overview.Membership, clock);

    private IMemberGrain Member => grains.GetGrain<IMemberGrain>(User.MemberId()!);

    public Task OnGetAsync() => LoadAsync();

    public Task<IActionResult> OnPostAsync(DateOnly until) => ActAsync(() => Member.PauseAsync(new PauseRequest(Until: until)));

    public Task<IActionResult> OnPostResumeAsync() => ActAsync(Member.ResumeAsync);

    private async Task<IActionResult> ActAsync(Func<Task<MembershipView>> act)
    {
        try
        {
            await act();
        }
        catch (CommandRejectedException refusal)
        {
            await LoadAsync();
            return this.Refused(refusal);
        }

        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync() => Overview = await MemberOverview.LoadAsync(grains, User.MemberId()!, clock);
}
