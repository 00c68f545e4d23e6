using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Practice;
using MedSpa.Web.Access;
using MedSpa.Web.Members;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Configuration;

namespace MedSpa.Web.Enrolment;

/// <summary>
/// <c>/enrol</c>: enrolment at the desk. Find or register the client, choose the plan with its terms in view, let the
/// client read the agreement and sign it on the tablet (drawn, typed and ticked), then take the first payment.
/// </summary>
[Authorize(Policy = StaffAccess.Desk)]
public sealed class EnrolModel(IGrainFactory grains, TimeProvider clock, IConfiguration configuration) : PageModel
{
    private const int SearchLimit = 20;
    private const string DataUrlPrefix = "data:image/png;base64,";

    [BindProperty(SupportsGet = true, Name = "member")]
    public string? MemberId { get; set; }

    [BindProperty(SupportsGet = true, Name = "plan")]
    public string? PlanId { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public MemberProfile? Profile { get; private set; }

    public MembershipView? Membership { get; private set; }

    public IReadOnlyList<MemberSummary> Found { get; private set; } = [];

    public IReadOnlyList<PlanVersion> Plans { get; private set; } = [];

    public PracticeCatalogue Catalogue { get; private set; } = null!;

    public AgreementDraft? Agreement { get; private set; }

    /// <summary>Whether a card can be taken here: only the emulator's test cards can, since Stripe.js cannot load offline.</summary>
    public bool TestCards => Billing.TestCardSetup.For(configuration) is not null;

    public string? Problem { get; private set; }

    public string? ProblemCode { get; private set; }

    public string NewId(string prefix) => Identifiers.New(prefix, clock.GetUtcNow());

    public Task<IActionResult> OnGetAsync() => ShowAsync();

    public async Task<IActionResult> OnPostRegisterAsync(string? firstName, string? lastName, string? email, string? phone, string? homeLocationId)
    {
        try
        {
            var client = new NewClient(firstName ?? "", lastName ?? "", email ?? "", string.IsNullOrWhiteSpace(phone) ? null : phone, homeLocationId ?? "");
            var id = Identifiers.New("mem", clock.GetUtcNow());
            await grains.GetGrain<IMemberGrain>(id).RegisterAsync(client, Registrar.Staff);
            return Redirect($"/enrol?member={Uri.EscapeDataString(id)}");
        }
        catch (CommandRejectedException refusal)
        {
            return await RefuseAsync(refusal);
        }
    }

    public async Task<IActionResult> OnPostSignAsync(string? signedName, bool accepted, string? signature)
    {
        try
        {
            var member = await TheirsAsync(MemberId ?? "");
            var drawn = Drawn(signature);
            await member.EnrolAsync(
                new EnrolmentRequest(PlanId ?? "", new AgreementAcceptance(signedName?.Trim() ?? "", accepted, drawn)),
                MemberRoute.Signature(HttpContext));
            return Redirect($"/enrol?member={Uri.EscapeDataString(MemberId!)}");
        }
        catch (CommandRejectedException refusal)
        {
            return await RefuseAsync(refusal);
        }
    }

    /// <summary>The drawn signature as the pad posts it (a PNG data URL); the rules check the image itself.</summary>
    private static byte[] Drawn(string? signature)
    {
        if (string.IsNullOrEmpty(signature))
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "signature_required", "Ask the client to sign in the box with their finger or the pen.");
        }

        try
        {
            return Convert.FromBase64String(signature.StartsWith(DataUrlPrefix, StringComparison.Ordinal) ? signature[DataUrlPrefix.Length..] : signature);
        }
        catch (FormatException)
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "invalid_signature_image", "The drawn signature did not arrive as an image; clear the box and sign again.");
        }
    }

    /// <summary>The client, when the member of staff may see them: another location's client is answered as no client.</summary>
    private async Task<IMemberGrain> TheirsAsync(string id) =>
        await LocationLimit.MaySeeClientAsync(User, grains, id)
            ? MemberRoute.Member(grains, id)
            : throw new CommandRejectedException(RejectionKind.NotFound, "member_not_found", "There is no client with this id.");

    private async Task<IActionResult> RefuseAsync(CommandRejectedException refusal)
    {
        Problem = refusal.Message;
        ProblemCode = refusal.Code;
        Response.StatusCode = Problems.Problems.StatusFor(refusal.Kind);
        return await ShowAsync();
    }

    private async Task<IActionResult> ShowAsync()
    {
        Catalogue = await grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync();
        if (!string.IsNullOrWhiteSpace(Query))
        {
            Found = (await grains.GetGrain<IMemberDirectoryGrain>(IMemberDirectoryGrain.Key).SearchAsync(Query.Trim(), SearchLimit))
                .Where(m => StaffAccess.MaySee(User, m.HomeLocationId))
                .ToList();
        }

        if (string.IsNullOrEmpty(MemberId))
        {
            return Page();
        }

        try
        {
            var member = await TheirsAsync(MemberId);
            Profile = await member.GetProfileAsync();
            Membership = await member.GetMembershipAsync();
            Plans = (await grains.GetGrain<IPlanDirectoryGrain>(IPlanDirectoryGrain.Key).ListAsync())
                .Select(p => p.Current)
                .Where(v => v.Terms.LocationIds is not { Count: > 0 } sold || sold.Contains(Profile.HomeLocationId))
                .ToList();
            if (!string.IsNullOrEmpty(PlanId) && Membership.Status is MembershipStatus.None or MembershipStatus.Cancelled)
            {
                Agreement = await member.PreviewAgreementAsync(PlanId);
            }
        }
        catch (CommandRejectedException refusal)
        {
            // A refused action already says what went wrong; what the page could not load then follows from it.
            if (Problem is null)
            {
                Problem = refusal.Message;
                ProblemCode = refusal.Code;
                Response.StatusCode = Problems.Problems.StatusFor(refusal.Kind);
            }
        }

        return Page();
    }
}
