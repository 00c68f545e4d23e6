using System.Security.Claims;
using MedSpa.Members;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

using static MedSpa.Web.Members.MemberRoute;

namespace MedSpa.Web.Members;

/// <summary>
/// A membership's lifecycle: <c>/cancellation</c> (quote, confirm, withdraw), <c>/pause</c>, <c>/resume</c>,
/// <c>/reactivation-offer</c> and <c>/reactivation</c> under <c>/api/v1/members/{id}</c>.
/// </summary>
public static class LifecycleEndpoints
{
    public static RouteGroupBuilder MapLifecycle(this RouteGroupBuilder api)
    {
        var member = api.MapGroup("/members/{id}").WithTags("Members");

        member.MapPost("/cancellation", (string id, CancellationRequest request, IGrainFactory grains) => Member(grains, id).CancelAsync(request))
            .WithSummary("confirm: false quotes a cancellation (effective date, remaining obligation and its billing dates, options, credits) and changes nothing; true confirms it with a reason; withdraw: true withdraws a pending one.");
        member.MapDelete("/cancellation", (string id, IGrainFactory grains) => Member(grains, id).CancelAsync(new CancellationRequest(Withdraw: true)))
            .WithSummary("Withdraws a pending cancellation before it takes effect.");
        member.MapPost("/pause", (string id, PauseRequest request, IGrainFactory grains) => Member(grains, id).PauseAsync(request))
            .WithSummary("Pauses the membership from today for days, or until a date, within the plan's pause rules; billing stops and the credits freeze.");
        member.MapPost("/resume", (string id, IGrainFactory grains) => Member(grains, id).ResumeAsync())
            .WithSummary("Resumes a paused membership today: today becomes the billing day and the first period is charged.");
        member.MapPost("/reactivation-offer", (string id, IGrainFactory grains) => Member(grains, id).OfferReactivationAsync())
            .WithSummary("Sends the plan's reactivation offer to a member cancelled in the last 90 days, once per lapse.");
        member.MapPost("/reactivation", async (string id, ReactivationRequest request, HttpContext http, IGrainFactory grains) =>
            await Member(grains, id).ReactivateAsync(request, Signature(http)))
            .WithSummary("Accepts the reactivation offer: enrols the member again with a signed agreement and the offer applied to the first month.");
        return api;
    }
}
