using MedSpa.Notifications;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Notifications;

/// <summary><c>/mailbox</c>, for any staff: the development mailbox, the list <c>GET /api/v1/mailbox</c> answers.</summary>
public sealed class MailboxModel(IGrainFactory grains) : PageModel
{
    public IReadOnlyList<MailboxMessage> Messages { get; private set; } = [];

    public async Task OnGetAsync() => Messages = await grains.GetGrain<IMailboxGrain>(IMailboxGrain.Key).ListAsync(MailboxEndpoints.DefaultLimit);
}
