using System.Text.Json;
using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Web.Portal;

/// <summary>A reactivation offer the member can still accept: what it gives and the last day it does.</summary>
public sealed record OpenReactivationOffer(string PlanId, string PlanName, ReactivationOffer Offer, DateOnly ValidUntil);

/// <summary>
/// Everything the portal shows a member about their membership, read from their grain, their plan's version and the
/// practice's menu (for the names of services). A client who never enrolled has a membership of status
/// <see cref="MembershipStatus.None"/> and no plan terms.
/// </summary>
public sealed record MemberOverview(
    MemberProfile Profile,
    MembershipView Membership,
    CreditsView Credits,
    PlanTerms? Terms,
    IReadOnlyDictionary<string, string> ServiceNames,
    OpenReactivationOffer? Offer)
{
    public static async Task<MemberOverview> LoadAsync(IGrainFactory grains, string memberId, TimeProvider clock)
    {
        var member = grains.GetGrain<IMemberGrain>(memberId);
        var profile = await member.GetProfileAsync();
        var membership = await member.GetMembershipAsync();
        var credits = await member.GetCreditsAsync();
        var catalogue = await grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync();
        var terms = membership.PlanId is { } planId
            ? (await grains.GetGrain<IPlanGrain>(planId).GetAsync()).Versions.FirstOrDefault(v => v.Version == membership.PlanVersion)?.Terms
            : null;
        var offer = membership.Status == MembershipStatus.Cancelled ? await OpenOfferAsync(grains, member, membership, clock) : null;
        return new MemberOverview(profile, membership, credits, terms, catalogue.Services.ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal), offer);
    }

    public bool IsMember => Membership.Status is not (MembershipStatus.None or MembershipStatus.Cancelled);

    /// <summary>The local day at the member's clinic, as the membership's dates are.</summary>
    public static DateOnly Today(MembershipView membership, TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), membership.TimeZone is { } zone ? TimeZoneInfo.FindSystemTimeZoneById(zone) : TimeZoneInfo.Utc).DateTime);

    /// <summary>What a plan benefit gives each month, in the clinic's words.</summary>
    public string Describe(Benefit benefit)
    {
        var what = Subject(benefit.ServiceId, benefit.Category);
        var text = benefit.Kind switch
        {
            BenefitKind.TreatmentUnits => $"{benefit.Units} {what} treatment{(benefit.Units == 1 ? "" : "s")} a month",
            BenefitKind.DollarCredit when benefit.Amount is { } amount => $"{PortalText.Amount(amount)} of {what} credit a month",
            BenefitKind.Discount => $"{benefit.Percent}% off {(benefit.ServiceId is null && benefit.Category is null ? "everything else" : what)}",
            _ => what,
        };
        return benefit.Rollover is { } rollover && benefit.Kind != BenefitKind.Discount
            ? $"{text}; unused credit carries over (up to {Quantity(benefit.Kind, rollover.MaxAccumulation, benefit.Amount?.Currency)})"
            : text;
    }

    /// <summary>The name of a balance: the plan benefit or add-on that feeds it, or its key.</summary>
    public string BalanceName(BenefitBalance balance)
    {
        var benefit = Terms?.Benefits.FirstOrDefault(b => b.Key == balance.BenefitKey);
        if (benefit is not null)
        {
            return $"{Subject(benefit.ServiceId, benefit.Category)} {(benefit.Kind == BenefitKind.DollarCredit ? "credit" : "treatments")}";
        }

        var addOn = Terms?.AddOns?.FirstOrDefault(a => a.Key == balance.BenefitKey);
        return addOn?.Name ?? balance.BenefitKey.Replace(':', ' ').Replace('_', ' ');
    }

    public static string Quantity(BenefitKind kind, long quantity, string? currency) =>
        kind == BenefitKind.DollarCredit ? PortalText.Amount(quantity, currency) : $"{quantity} treatment{(quantity == 1 ? "" : "s")}";

    private string Subject(string? serviceId, string? category) =>
        serviceId is not null ? ServiceNames.GetValueOrDefault(serviceId, serviceId) : category ?? "any service";

    /// <summary>
    /// The offer of the latest lapse, from the member's log (no view carries it): open while the member is still
    /// cancelled, has not taken it and it has not run out.
    /// </summary>
    private static async Task<OpenReactivationOffer?> OpenOfferAsync(IGrainFactory grains, IMemberGrain member, MembershipView membership, TimeProvider clock)
    {
        var events = await member.GetEventsAsync();
        var sent = events.LastOrDefault(e => e.Type == "reactivation_offered");
        if (sent is null || events.Any(e => e.Seq > sent.Seq && e.Type == "reactivation_accepted"))
        {
            return null;
        }

        using var payload = JsonDocument.Parse(sent.PayloadJson);
        var root = payload.RootElement;
        var validUntil = DateOnly.Parse(root.GetProperty("validUntil").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        if (validUntil < Today(membership, clock))
        {
            return null;
        }

        var planId = root.GetProperty("planId").GetString()!;
        var offer = root.GetProperty("offer");
        var plan = await grains.GetGrain<IPlanGrain>(planId).GetAsync();
        return new OpenReactivationOffer(
            planId,
            plan.Current.Terms.Name,
            new ReactivationOffer(
                offer.TryGetProperty("firstMonthDiscountPercent", out var percent) ? percent.GetInt32() : 0,
                offer.TryGetProperty("bonusBenefitKey", out var key) && key.ValueKind == JsonValueKind.String ? key.GetString() : null,
                offer.TryGetProperty("bonusQuantity", out var bonus) ? bonus.GetInt64() : 0),
            validUntil);
    }
}
