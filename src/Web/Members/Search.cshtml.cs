using MedSpa.Members;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Members;

/// <summary><c>/members</c>: the desk finds a client by part of their name, email or phone, as the API does.</summary>
public sealed class SearchModel(IGrainFactory grains) : PageModel
{
    private const int Limit = 50;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public IReadOnlyList<(MemberSummary Client, MembershipView Membership)> Results { get; private set; } = [];

    public async Task OnGetAsync()
    {
        if (string.IsNullOrWhiteSpace(Query))
        {
            return;
        }

        var found = (await grains.GetGrain<IMemberDirectoryGrain>(IMemberDirectoryGrain.Key).SearchAsync(Query.Trim(), Limit))
            .Where(c => StaffAccess.MaySee(User, c.HomeLocationId))
            .ToList();
        // The directory knows who a client is, each member's own grain what they are on: asked together, not in turn.
        var memberships = await Task.WhenAll(found.Select(c => grains.GetGrain<IMemberGrain>(c.Id).GetMembershipAsync()));
        Results = found.Zip(memberships).ToList();
    }
}
