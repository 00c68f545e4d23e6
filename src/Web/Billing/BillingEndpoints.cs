using MedSpa.Billing;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace MedSpa.Web.Billing;

/// <summary><c>/api/v1/billing</c>: what billing is chasing.</summary>
public static class BillingEndpoints
{
    public static RouteGroupBuilder MapBilling(this RouteGroupBuilder api)
    {
        var billing = api.MapGroup("/billing").WithTags("Billing");

        billing.MapGet("/failed-payments", (IGrainFactory grains) => grains.GetGrain<IFailedPaymentsGrain>(IFailedPaymentsGrain.Key).ListAsync())
            .RequireAuthorization(StaffAccess.Desk)
            .WithSummary("Members with an unpaid period: since when, the last decline, the next retry, and when they are suspended or cancelled.");

        return api;
    }
}
