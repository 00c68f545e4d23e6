using MedSpa.Plans;
using MedSpa.Practice;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Plans;

/// <summary><c>/plans/new</c>: a tier created through the same directory grain as <c>POST /api/v1/plans</c>.</summary>
[Authorize(Policy = StaffAccess.Admin)]
public sealed class NewPlanModel(IGrainFactory grains) : PageModel
{
    [BindProperty]
    public PlanForm Form { get; set; } = new()
    {
        MinimumTermMonths = 0,
        Benefits = [new BenefitRow()],
    };

    public PracticeCatalogue Catalogue { get; private set; } = new([], []);

    public string? Problem { get; private set; }

    public async Task OnGetAsync() => Catalogue = await grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            PlanPages.RequireBound(ModelState);
            var plan = await grains.GetGrain<IPlanDirectoryGrain>(IPlanDirectoryGrain.Key).CreateAsync(Form.ToTerms());
            return Redirect($"/plans/{plan.Id}?saved={plan.Current.Version}");
        }
        catch (CommandRejectedException e)
        {
            Problem = e.Message;
            await OnGetAsync();
            return Page();
        }
    }
}
