using System.Security.Claims;
using MedSpa.Members;
using MedSpa.Web.Access;
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

        member.MapPost("/cancellation", async (string id, CancellationRequest request, IGrainFactory grains) =>
        {
            var view = await Member(grains, id).CancelAsync(request);
            return view.Stage switch
            {
                // The attempt stays in the member's history; the membership carries on with nothing pending.
                CancellationStage.PaymentDeclined => Results.Problem(
                    statusCode: StatusCodes.Status402PaymentRequired,
                    detail: $"The card declined the buy-out charge ({view.DeclineCode}); nothing is cancelled. Update the card and confirm again, or choose continue_to_term_end.",
                    extensions: new Dictionary<string, object?>
                    {
                        ["code"] = "payment_declined",
                        ["attemptId"] = view.AttemptId,
                        ["declineCode"] = view.DeclineCode,
                    }),
                // The processor's answer was lost: the same confirmation again (or the billing run) settles that charge.
                CancellationStage.PaymentUnknown => Results.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    detail: "The card processor did not say whether the buy-out was charged; nothing is cancelled yet. Repeat the confirmation to settle it: it never charges twice.",
                    extensions: new Dictionary<string, object?>
                    {
                        ["code"] = "payment_outcome_unknown",
                        ["attemptId"] = view.AttemptId,
                    }),
                _ => Results.Ok(view),
            };
        })
            .RequireAuthorization(StaffAccess.Desk)
            .WithSummary("confirm: false quotes a cancellation (effective date, remaining obligation and its billing dates, options, credits) and changes nothing; true confirms it with a reason (a buy_out charges the obligation on the card on file first: 402 payment_declined, 503 payment_outcome_unknown); withdraw: true withdraws a pending one.");
        member.MapDelete("/cancellation", (string id, IGrainFactory grains) => Member(grains, id).CancelAsync(new CancellationRequest(Withdraw: true)))
            .RequireAuthorization(StaffAccess.Desk)
            .WithSummary("Withdraws a pending cancellation before it takes effect.");
        member.MapPost("/pause", (string id, PauseRequest request, IGrainFactory grains) => Member(grains, id).PauseAsync(request))
            .RequireAuthorization(StaffAccess.Desk)
            .WithSummary("Pauses the membership from today for days, or until a date, within the plan's pause rules; billing stops and the credits freeze.");
        member.MapPost("/resume", (string id, IGrainFactory grains) => Member(grains, id).ResumeAsync())
            .RequireAuthorization(StaffAccess.Desk)
            .WithSummary("Resumes a paused membership today: today becomes the billing day and the first period is charged.");
        member.MapPost("/reactivation-offer", (string id, IGrainFactory grains) => Member(grains, id).OfferReactivationAsync())
            .RequireAuthorization(StaffAccess.Desk)
            .WithSummary("Sends the plan's reactivation offer to a member cancelled in the last 90 days, once per lapse.");
        member.MapPost("/reactivation", async (string id, ReactivationRequest request, HttpContext http, IGrainFactory grains) =>
            await Member(grains, id).ReactivateAsync(request, Signature(http)))
            .RequireAuthorization(StaffAccess.Desk)
            .WithSummary("Accepts the reactivation offer: enrols the member again with a signed agreement and the offer applied to the first month.");
        return api;
    }
}
