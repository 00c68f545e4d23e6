using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Domain.Members;

public sealed partial record Member
{
    /// <summary>
    /// Refuses an appointment (booked in the portal or at the desk, or a walk-in) for a treatment the plan includes while
    /// the membership is suspended for non-payment: the client would come in expecting it covered, and its credits are
    /// frozen until the payment is made. The same refusal, with the same code, as redeeming it.
    /// A treatment the plan does not include (a discount is a price, not an inclusion) is booked and paid in full as any
    /// client's would be: a clinic would not turn away a paying visit over an unpaid membership. (A package session of
    /// an included treatment is refused too, for now: the freeze holds every lot, so the visit could not use it.)
    /// </summary>
    public void RequireBookable(Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        RequireProfile();
        if (Status != MembershipStatus.Suspended || Enrolment is not { } enrolment || !Includes(enrolment.Plan.Terms, service))
        {
            return;
        }

        throw Reject.Conflict("membership_suspended",
            $"The membership is suspended for non-payment: {service.Name} is included in the plan and cannot be booked until the payment is made. Update the card on file to reactivate it at once.");
    }

    /// <summary>Whether the plan's treatments or credit cover the service (units of it or its category, or dollar credit of its category).</summary>
    private static bool Includes(PlanTerms terms, Service service) =>
        terms.Benefits.Any(b => b.Kind is BenefitKind.TreatmentUnits or BenefitKind.DollarCredit
            && (b.ServiceId is null || string.Equals(b.ServiceId, service.Id, StringComparison.Ordinal))
            && (b.Category is null || string.Equals(b.Category, service.Category, StringComparison.Ordinal))
            && (b.ServiceId is not null || b.Category is not null));
}
