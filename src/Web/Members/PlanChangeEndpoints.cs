using MedSpa.Members;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

using static MedSpa.Web.Members.MemberRoute;

namespace MedSpa.Web.Members;

/// <summary>
/// <c>POST /api/v1/members/{id}/plan-change</c> and the member's side of a price increase
/// (<c>POST /api/v1/members/{id}/price-changes/{changeId}/confirmation</c>).
/// </summary>
public static class PlanChangeEndpoints
{
    public static RouteGroupBuilder MapPlanChanges(this RouteGroupBuilder api)
    {
        var member = api.MapGroup("/members/{id}").WithTags("Members");

        member.MapPost("/plan-change", async (string id, PlanChangeRequest request, IGrainFactory grains) =>
        {
            var outcome = await Member(grains, id).ChangePlanAsync(request);
            return outcome.Status switch
            {
                // The attempt stays in the member's history; the member stays on their plan.
                PlanChangeStatus.Declined => Results.Problem(
                    statusCode: StatusCodes.Status402PaymentRequired,
                    detail: $"The card declined the upgrade's charge ({outcome.DeclineCode}); the member stays on their plan.",
                    extensions: new Dictionary<string, object?>
                    {
                        ["code"] = "payment_declined",
                        ["changeId"] = outcome.ChangeId,
                        ["attemptId"] = outcome.AttemptId,
                        ["declineCode"] = outcome.DeclineCode,
                    }),
                // The processor's answer was lost: repeating the request with the same changeId resolves it.
                PlanChangeStatus.Pending => Results.Accepted(value: outcome),
                _ => Results.Ok(outcome),
            };
        })
            .RequireAuthorization(StaffAccess.Desk)
            .WithSummary("Quotes (confirm: false) or makes a plan change: an upgrade is charged the prorated difference on the card on file and applies at once; a downgrade applies at the next billing date. Idempotent by changeId.");

        member.MapPost("/price-changes/{changeId}/confirmation", (string id, string changeId, PriceIncreaseConfirmation? confirmation, IGrainFactory grains) =>
            Member(grains, id).ConfirmPriceIncreaseAsync(changeId, confirmation ?? new PriceIncreaseConfirmation()))
            .RequireAuthorization(StaffAccess.Desk)
            .WithSummary("Records that the member agreed to a price increase (confirmedVia: desk, the default, or portal); it applies from its effective date.");

        member.MapGet("/price-changes/{changeId}", async (string id, string changeId, IGrainFactory grains) =>
            await Member(grains, id).GetPriceIncreaseAsync(changeId)
                ?? throw new CommandRejectedException(RejectionKind.NotFound, "price_change_not_found", $"This member was not told of a price change {changeId}."))
            .WithSummary("Where the member stands with a price increase: notified when, effective from, confirmed.");
        return api;
    }
}
