using System.Collections.Immutable;
using MedSpa.Domain.Billing;
using MedSpa.Members;

namespace MedSpa.Domain.Members;

/// <summary>A price increase as it stands for this member: the notice, and their confirmation once given.</summary>
public sealed record PriceIncreaseState(PriceIncreaseNotified Notice, PriceIncreaseConfirmed? Confirmation)
{
    public MemberPriceChange AsChange => new(Notice.NewPrice, Notice.EffectiveFrom, Confirmation is not null);
}

public sealed partial record Member
{
    private static readonly string[] ConfirmationChannels = ["desk", "portal"];

    /// <summary>Every price increase the member was told of, in the order they were told.</summary>
    public ImmutableList<PriceIncreaseState> PriceIncreases { get; init; } = [];

    /// <summary>
    /// Tells the member their plan's price goes up: the change, and a notice to their email. It applies from the first
    /// billing date at least <see cref="PriceIncreaseNotice.NoticeDays"/> after now, once they confirm. Telling them again
    /// records nothing; a member the change does not concern (another plan, no membership, already paying as much) is
    /// not told.
    /// </summary>
    public IReadOnlyList<MemberEvent> NotifyPriceIncrease(PriceIncreaseNotice notice, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var profile = RequireProfile();
        if (FindPriceIncrease(notice.ChangeId) is not null || Enrolment is not { } enrolment
            || Status is MembershipStatus.None or MembershipStatus.Cancelled)
        {
            return [];
        }

        var plan = enrolment.Plan.PlanId == notice.PlanId ? enrolment.Plan
            : ScheduledPlanChange?.Terms.To is { } next && next.PlanId == notice.PlanId ? next
            : null;
        var price = plan?.Terms.MonthlyPrice;
        if (price is null || price.Currency != notice.NewPrice.Currency || price.Amount >= notice.NewPrice.Amount)
        {
            return [];
        }

        var effectiveFrom = PriceIncrease.EffectiveFrom(now, enrolment.AnchorDay, enrolment.Zone, notice.NoticeDays);
        var summary = $"The price of {plan!.Terms.Name} goes from {Format(price)} to {Format(notice.NewPrice)} a month from {effectiveFrom:d MMMM yyyy}, once you confirm it.";
        return
        [
            new PriceIncreaseNotified(notice.ChangeId, notice.PlanId, notice.NewPrice, effectiveFrom, notice.NoticeDays) { OccurredAt = now },
            new NoticeIssued($"price-increase:{notice.ChangeId}", NoticeKind.PriceIncrease, profile.Email, summary) { OccurredAt = now },
        ];
    }

    /// <summary>
    /// The member agrees to a price increase, at the desk or in the portal. Confirming again records nothing.
    /// 404 <c>price_change_not_found</c>, 400 <c>invalid_confirmation_channel</c>.
    /// </summary>
    public IReadOnlyList<MemberEvent> ConfirmPriceIncrease(string changeId, string? confirmedVia, DateTimeOffset now)
    {
        RequireProfile();
        var via = confirmedVia?.Trim().ToLowerInvariant() ?? "desk";
        if (!ConfirmationChannels.Contains(via))
        {
            throw Reject.Invalid("invalid_confirmation_channel", "A price increase is confirmed at the desk or in the portal: confirmedVia is desk or portal.");
        }

        var change = RequirePriceIncrease(changeId);
        return change.Confirmation is not null ? [] : [new PriceIncreaseConfirmed(change.Notice.ChangeId, via) { OccurredAt = now }];
    }

    public MemberPriceChangeView? PriceIncreaseView(string memberId, string changeId) =>
        FindPriceIncrease(changeId) is { } change ? ViewOf(memberId, change) : null;

    public MemberPriceChangeView RequirePriceIncreaseView(string memberId, string changeId) => ViewOf(memberId, RequirePriceIncrease(changeId));

    /// <summary>
    /// Whether the member still has to answer this change: told, not confirmed, and still on (or moving to) its plan.
    /// </summary>
    public bool AwaitsConfirmation(string changeId) =>
        FindPriceIncrease(changeId) is { Confirmation: null } change && Enrolment is { } enrolment
        && (enrolment.Plan.PlanId == change.Notice.PlanId || ScheduledPlanChange?.Terms.To.PlanId == change.Notice.PlanId)
        && Status is not (MembershipStatus.None or MembershipStatus.Cancelled);

    /// <summary>
    /// What the membership costs a month as it stands: the current period's plan price with the increases confirmed
    /// for it, without one-off reductions (a reactivation offer, paid days a pause cut short). Reports count MRR at it.
    /// </summary>
    public Money? RecurringPrice => Enrolment is { } enrolment ? PlanPriceFor(PaidPeriod?.Start ?? NextPeriodStart ?? enrolment.EnrolledOn) : null;

    /// <summary>
    /// The price of the period starting <paramref name="periodStart"/> on the plan of that period: the plan's price, or
    /// the latest increase of that plan the member confirmed whose effective date has come.
    /// </summary>
    private Money PlanPriceFor(DateOnly periodStart)
    {
        var plan = PlanFor(periodStart);
        return PriceIncreases
            .Where(p => p.Notice.PlanId == plan.PlanId)
            .OrderBy(p => p.Notice.EffectiveFrom)
            .Aggregate(plan.Terms.MonthlyPrice, (price, p) => PriceIncrease.PriceOn(periodStart, price, p.AsChange));
    }

    /// <summary>The increase the membership view shows: the latest of the next period's plan that has not taken effect yet.</summary>
    private MemberPriceChangeView? PendingPriceIncrease(string memberId)
    {
        if (Enrolment is null || NextPeriodStart is not { } next)
        {
            return null;
        }

        var plan = PlanFor(next);
        return PriceIncreases.FindLast(p => p.Notice.PlanId == plan.PlanId && (p.Confirmation is null || p.Notice.EffectiveFrom > next)) is { } pending
            ? ViewOf(memberId, pending)
            : null;
    }

    private PriceIncreaseState? FindPriceIncrease(string changeId) => PriceIncreases.Find(p => p.Notice.ChangeId == changeId);

    private PriceIncreaseState RequirePriceIncrease(string changeId) =>
        FindPriceIncrease(changeId) ?? throw Reject.NotFound("price_change_not_found", $"This member was not told of a price change {changeId}.");

    private MemberPriceChangeView ViewOf(string memberId, PriceIncreaseState change)
    {
        var profile = RequireProfile();
        return new MemberPriceChangeView(
            memberId, profile.FullName, profile.Email, change.Notice.ChangeId, change.Notice.PlanId, change.Notice.NewPrice, change.Notice.OccurredAt,
            change.Notice.EffectiveFrom, change.Confirmation is not null, change.Confirmation?.OccurredAt, change.Confirmation?.ConfirmedVia,
            AwaitsConfirmation(change.Notice.ChangeId));
    }

    private Member ApplyPriceChange(MemberEvent e) => e switch
    {
        PriceIncreaseNotified notified => this with { PriceIncreases = PriceIncreases.Add(new PriceIncreaseState(notified, null)) },
        PriceIncreaseConfirmed confirmed => this with
        {
            PriceIncreases = PriceIncreases.Select(p => p.Notice.ChangeId == confirmed.ChangeId ? p with { Confirmation = confirmed } : p).ToImmutableList(),
        },
        _ => this,
    };

    private static string Format(Money money) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{money.Amount / 100m:0.00} {money.Currency.ToUpperInvariant()}");
}
