using MedSpa.Notifications;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Configuration;

namespace MedSpa.Web.Notifications;

/// <summary>
/// <c>/mailbox</c>, for administrators only: the development mailbox, the list <c>GET /api/v1/mailbox</c> answers. It
/// holds every member's mail, so it is no place for every role.
/// </summary>
[Authorize(Policy = StaffAccess.Admin)]
public sealed class MailboxModel(IGrainFactory grains, IConfiguration configuration) : PageModel
{
    public IReadOnlyList<MailboxMessage> Messages { get; private set; } = [];

    public async Task OnGetAsync() => Messages = await MailboxEndpoints.ListAsync(grains, configuration, MailboxEndpoints.DefaultLimit);
}
