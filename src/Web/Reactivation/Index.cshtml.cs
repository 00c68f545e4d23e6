using MedSpa.Members;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Reactivation;

/// <summary>
/// <c>/reactivation</c>: members who lapsed in the last 90 days, to send the plan's offer to (the same grain call as
/// <c>POST /api/v1/members/{id}/reactivation-offer</c>), and those with an offer open.
/// </summary>
[Authorize(Policy = StaffAccess.Admin)]
public sealed class ReactivationModel(IGrainFactory grains) : PageModel
{
    /// <summary>
    /// The directory's largest page (clients by name). A practice with more clients needs a lapse index; until then
    /// the page says when it looked at only this many.
    /// </summary>
    public const int Clients = 200;

    /// <summary>Clients asked at once; each is its own grain, possibly on another silo.</summary>
    private const int Parallelism = 16;

    public IReadOnlyList<LapseView> Lapsed { get; private set; } = [];

    public bool Truncated { get; private set; }

    public string? Sent { get; private set; }

    public string? Problem { get; private set; }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostSendAsync(string memberId)
    {
        try
        {
            var offer = await LocationLimit.MaySeeClientAsync(User, grains, memberId)
                ? await grains.GetGrain<IMemberGrain>(memberId).OfferReactivationAsync()
                : throw new CommandRejectedException(RejectionKind.NotFound, "member_not_found", "There is no client with this id.");
            Sent = $"Offer sent; it is open until {offer.ValidUntil:yyyy-MM-dd}.";
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
        var clients = await grains.GetGrain<IMemberDirectoryGrain>(IMemberDirectoryGrain.Key).SearchAsync(null, Clients);
        Truncated = clients.Count >= Clients;
        var lapses = new List<LapseView>();
        await Parallel.ForEachAsync(clients.Where(c => StaffAccess.MaySee(User, c.HomeLocationId)), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (client, _) =>
        {
            if (await grains.GetGrain<IMemberGrain>(client.Id).GetLapseAsync() is { } lapse)
            {
                lock (lapses)
                {
                    lapses.Add(lapse);
                }
            }
        });
        Lapsed = [.. lapses.OrderByDescending(l => l.LapsedOn).ThenBy(l => l.FullName, StringComparer.OrdinalIgnoreCase)];
    }
}
