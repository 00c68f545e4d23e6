using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Plans;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Domain.Tests.Members;

/// <summary>Members in each state of the lifecycle, built the way the grain builds them: decisions folded in order.</summary>
internal static class LifecycleExamples
{
    public static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>11:00 in New York on 10 March 2027: anchor day 10, a 12-month term ending 10 March 2028.</summary>
    public static readonly DateTimeOffset EnrolledAt = new(2027, 3, 10, 15, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Renewal = new(2027, 4, 10, 13, 0, 0, TimeSpan.Zero);

    public static readonly DunningPolicy Policy = DunningPolicy.Default;

    public static PlanVersion PlanOf(PlanTerms terms) => PlanHistory.Create(null, "plan_premium", terms, PlanExamples.Catalogue, EnrolledAt).Current;

    public static PlanTerms WithOffer => PlanExamples.Premium with { ReactivationOffer = new ReactivationOffer(50, "units:svc_tox", 2) };

    public static Member Registered() => Fold(Member.Unregistered, Member.Unregistered.Register(
        "mem_1", new NewClient("Ava", "Stone", "ava@example.com", null, "loc_downtown"), Registrar.Staff, PlanExamples.Catalogue.Locations, EnrolledAt));

    public static Member PendingPayment(PlanTerms? terms = null)
    {
        var member = Registered();
        return Fold(member, member.Enrol(new EnrolmentRequest("plan_premium", new AgreementAcceptance("Ava Stone", true)),
            new SignatureContext("portal", null, null), PlanOf(terms ?? PlanExamples.Premium), PlanExamples.Catalogue, EnrolledAt));
    }

    /// <summary>Enrolled with a card whose first charge was declined: waiting for the first payment, and chased for it.</summary>
    public static Member PendingDeclined(PlanTerms? terms = null)
    {
        var member = PendingPayment(terms);
        member = Fold(member, member.SaveCard("cus_1", new CardOnFile("pm_1", "visa", "0002", 12, 2030), EnrolledAt));
        return Charge(member, EnrolledAt, ChargeResult.SoftDecline, "card_declined");
    }

    public static Member Active(PlanTerms? terms = null)
    {
        var member = PendingPayment(terms);
        member = Fold(member, member.SaveCard("cus_1", new CardOnFile("pm_1", "visa", "4242", 12, 2030), EnrolledAt));
        return Charge(member, EnrolledAt, ChargeResult.Succeeded, null);
    }

    public static Member PastDue(PlanTerms? terms = null) => Charge(Active(terms), Renewal, ChargeResult.SoftDecline, "insufficient_funds");

    public static Member Suspended(PlanTerms? terms = null)
    {
        var member = Charge(PastDue(terms), Renewal.AddHours(24), ChargeResult.SoftDecline, "insufficient_funds");
        return Charge(member, Renewal.AddHours(72), ChargeResult.SoftDecline, "insufficient_funds");
    }

    public static Member Paused(DateTimeOffset at, PlanTerms? terms = null) => Fold(Active(terms), Active(terms).Pause(new PauseRequest(Days: 30), at));

    /// <summary>Cancelled as involuntary churn, 30 days after suspension (13 May 2027, 09:00 in New York).</summary>
    public static Member Cancelled(out DateTimeOffset at, PlanTerms? terms = null)
    {
        var member = Suspended(terms);
        at = Renewal.AddHours(72).AddDays(30);
        return Fold(member, member.CancelForNonPayment("payment_failed", at));
    }

    public static Member Charge(Member member, DateTimeOffset at, ChargeResult result, string? code)
    {
        member = Fold(member, member.StartCharge("mem_1", at));
        return Fold(member, member.ResolveCharge(member.UnresolvedAttempt!.AttemptId, result, "pi_x", code, null, at, Policy));
    }

    public static Member Fold(Member member, IEnumerable<MemberEvent> events) => events.Aggregate(member, (state, e) => state.Apply(e));

    public static DateTimeOffset Local(int year, int month, int day, int hour = 12) =>
        BillingCalendar.LocalInstant(new DateTime(year, month, day, hour, 0, 0), NewYork);
}
