using MedSpa.Plans;

namespace MedSpa.Domain.Billing;

/// <summary>
/// What cancelling today means, shown to the member before anything is confirmed. Before the term is met,
/// <see cref="RemainingObligation"/> is what the billing dates still owed add up to; <see cref="BuyOutCharge"/> is
/// that sum when the plan lets the member pay it at once, else zero.
/// </summary>
public sealed record CancellationQuote(
    bool TermMet,
    DateOnly TermEnd,
    DateOnly EffectiveOn,
    int RemainingBillingDates,
    Money RemainingObligation,
    Money BuyOutCharge);

public static class MinimumTerm
{
    /// <summary>Quotes a cancellation for a member enrolled on <paramref name="enrolledOn"/> with the plan's minimum term.</summary>
    public static CancellationQuote Quote(
        Money monthlyPrice, DateOnly enrolledOn, int minimumTermMonths, int anchorDay, DateOnly today, CancellationPolicy policy = CancellationPolicy.ContinueToTermEnd) =>
        Quote(monthlyPrice, BillingCalendar.TermEnd(enrolledOn, minimumTermMonths), anchorDay, today, policy);

    /// <summary>
    /// Quotes a cancellation against a term end already fixed at enrolment (a pause may since have moved the anchor
    /// day, never the term). <paramref name="today"/> is the local date in the home location.
    /// </summary>
    public static CancellationQuote Quote(Money monthlyPrice, DateOnly termEnd, int anchorDay, DateOnly today, CancellationPolicy policy = CancellationPolicy.ContinueToTermEnd)
    {
        Prices.Require(monthlyPrice);
        ArgumentOutOfRangeException.ThrowIfLessThan(anchorDay, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(anchorDay, 31);
        var none = monthlyPrice with { Amount = 0 };
        var endOfPeriod = BillingCalendar.NextBillingDate(anchorDay, today);
        if (today >= termEnd)
        {
            return new CancellationQuote(true, termEnd, endOfPeriod, 0, none, none);
        }

        var owed = 0;
        for (var date = endOfPeriod; date < termEnd; date = BillingCalendar.NextBillingDate(anchorDay, date))
        {
            owed++;
        }

        var obligation = monthlyPrice with { Amount = checked(monthlyPrice.Amount * owed) };
        // Bought out, the member has paid for the term and keeps the period already paid for; left to run, billing
        // carries on and the membership ends on the term end.
        return policy == CancellationPolicy.BuyOut
            ? new CancellationQuote(false, termEnd, endOfPeriod, owed, obligation, obligation)
            : new CancellationQuote(false, termEnd, termEnd, owed, obligation, none);
    }
}
