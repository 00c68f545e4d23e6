using MedSpa.Domain.Billing;
using MedSpa.Members;

namespace MedSpa.Domain.Members;

public sealed partial record Member
{
    /// <summary>
    /// The lapse staff can still win back, as <see cref="OfferReactivation"/> judges it: cancelled, ended no more than
    /// 90 days ago in the member's own time zone. Null otherwise.
    /// </summary>
    public LapseView? Lapse(string memberId, DateTimeOffset now)
    {
        if (Status != MembershipStatus.Cancelled || LastCancellation is not { } lapse || Enrolment is not { } enrolment || Profile is not { } profile)
        {
            return null;
        }

        var winBackUntil = lapse.EffectiveOn.AddDays(ReactivationWindowDays);
        return BillingCalendar.LocalDate(now, enrolment.Zone) > winBackUntil
            ? null
            : new LapseView(
                memberId, profile.FullName, profile.Email, enrolment.Plan.PlanId, enrolment.Plan.Terms.Name, lapse.EffectiveOn, lapse.Involuntary,
                winBackUntil, Reactivation is { } sent && sent.Offer.LapsedOn == lapse.EffectiveOn ? sent.Offer : null);
    }
}
