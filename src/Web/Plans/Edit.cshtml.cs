using MedSpa.Plans;
using MedSpa.Practice;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Plans;

/// <summary><c>/plans/{id}</c>: the tier's current terms to edit, saved as a new version (<c>PUT /api/v1/plans/{id}</c>), and its history.</summary>
[Authorize(Policy = StaffAccess.Admin)]
public sealed class EditPlanModel(IGrainFactory grains) : PageModel
{
    [BindProperty]
    public PlanForm Form { get; set; } = new();

    [FromQuery(Name = "saved")]
    public int? Saved { get; set; }

    public Plan Plan { get; private set; } = null!;

    public PracticeCatalogue Catalogue { get; private set; } = new([], []);

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        Form = PlanForm.From(Plan.Current.Terms);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        try
        {
            PlanPages.RequireBound(ModelState);
            var revised = await grains.GetGrain<IPlanGrain>(id).ReviseAsync(Form.ToTerms());
            return Redirect($"/plans/{revised.Id}?saved={revised.Current.Version}");
        }
        catch (CommandRejectedException e)
        {
            // The form keeps what was typed, so the administrator corrects one field rather than starting over.
            Problem = e.Message;
            return Page();
        }
    }

    private async Task<bool> LoadAsync(string id)
    {
        try
        {
            Plan = await grains.GetGrain<IPlanGrain>(id).GetAsync();
        }
        catch (CommandRejectedException e) when (e.Kind == RejectionKind.NotFound)
        {
            return false;
        }

        Catalogue = await grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync();
        return true;
    }
}
