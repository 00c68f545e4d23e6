using System.Collections.Immutable;
using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Credits;
using MedSpa.Members;

namespace MedSpa.Domain.Members;

/// <summary>What a member signed up to: the plan terms of that day, the billing calendar and the signed agreement.</summary>
/// <remarks>A member imported from the practice's old records has no agreement signed here (<see cref="Agreement"/> null).</remarks>
public sealed record Enrolment(EnrolledPlan Plan, string TimeZone, DateOnly EnrolledOn, int AnchorDay, DateOnly TermEnd, SignedAgreement? Agreement)
{
    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public Money Price => Plan.Terms.MonthlyPrice;
}

/// <summary>
/// A client of the practice, folded from their event log: profile, membership, credits, payments, checkouts.
/// Decisions (in the partial files beside this one) take <c>now</c> and return the events that record them;
/// <see cref="Apply"/> is the only way the state changes.
/// </summary>
public sealed partial record Member
{
    public static Member Unregistered { get; } = new();

    public MemberProfile? Profile { get; init; }

    public Enrolment? Enrolment { get; init; }

    public MembershipStatus Status { get; init; } = MembershipStatus.None;

    /// <summary>The paid period the member is in, or was last in.</summary>
    public BillingPeriod? PaidPeriod { get; init; }

    /// <summary>The start of the period the next subscription payment pays for.</summary>
    public DateOnly? NextPeriodStart { get; init; }

    public CreditLedger Credits { get; init; } = CreditLedger.Empty;

    public ImmutableList<PaymentView> Payments { get; init; } = [];

    public ImmutableDictionary<string, CheckoutCompleted> Checkouts { get; init; } = ImmutableDictionary<string, CheckoutCompleted>.Empty;

    public ImmutableDictionary<string, AddOnPurchased> AddOnPurchases { get; init; } = ImmutableDictionary<string, AddOnPurchased>.Empty;

    /// <summary>The processor's customer for this member, once they have saved a card.</summary>
    public string? CustomerId { get; init; }

    public CardOnFile? Card { get; init; }

    /// <summary>Every card charge attempt, in order; an attempt with no result is still being resolved.</summary>
    public ImmutableList<ChargeAttemptView> ChargeAttempts { get; init; } = [];

    /// <summary>Every notice issued to the member (or to staff about them), oldest first.</summary>
    public ImmutableList<NoticeIssued> Notices { get; init; } = [];

    public bool IsRegistered => Profile is not null;

    public Member Apply(MemberEvent e)
    {
        var next = e switch
        {
            ClientRegistered registered => this with { Profile = registered.Profile },
            MemberEnrolled enrolled => this with
            {
                Enrolment = new Enrolment(enrolled.Plan, enrolled.TimeZone, enrolled.EnrolledOn, enrolled.AnchorDay, enrolled.TermEnd, enrolled.Agreement),
                Status = MembershipStatus.PendingPayment,
                PaidPeriod = null,
                NextPeriodStart = enrolled.EnrolledOn,
            },
            PaymentRecorded payment => this with
            {
                Payments = Payments.Add(new PaymentView(
                    payment.PaymentId, payment.Category, payment.Amount, payment.Method, payment.Status, payment.OccurredAt,
                    payment.Reference, payment.PeriodStart, payment.CheckoutId, payment.Description)),
            },
            PeriodPaid paid => this with
            {
                Status = MembershipStatus.Active,
                PaidPeriod = new BillingPeriod(paid.PeriodStart, paid.PeriodEnd),
                NextPeriodStart = paid.PeriodEnd,
                Dunning = null,
            },
            // A first payment being chased leaves the enrolment waiting to start: it is never past due, only unpaid.
            PaymentPastDue pastDue => this with
            {
                Status = Status == MembershipStatus.PendingPayment ? MembershipStatus.PendingPayment : MembershipStatus.PastDue,
                Dunning = new Dunning(pastDue.PeriodStart, pastDue.FailedAttempts, pastDue.FirstFailedAt, pastDue.NextRetryAt, pastDue.SuspendAt, pastDue.DeclineCode),
            },
            MembershipSuspended suspended => this with
            {
                Status = MembershipStatus.Suspended,
                Dunning = (Dunning ?? new Dunning(suspended.PeriodStart, 0, suspended.OccurredAt, null, null, null))
                    with { NextRetryAt = null, SuspendAt = null, SuspendedAt = suspended.OccurredAt },
            },
            // An enrolment that never started is no lapse: the last membership that did (if any) stays the one to win back,
            // and a later first payment counts as a join or a comeback by it.
            MembershipCancelled cancelled => this with
            {
                Status = MembershipStatus.Cancelled, Dunning = null, PendingCancellation = null, CurrentPause = null,
                LastCancellation = Status == MembershipStatus.PendingPayment ? LastCancellation : cancelled,
            },
            NoticeIssued notice => this with { Notices = Notices.Add(notice) },
            ProcessorCustomerCreated customer => this with { CustomerId = customer.CustomerId },
            AddOnPurchased purchase => this with { AddOnPurchases = AddOnPurchases.Add(purchase.PurchaseId, purchase) },
            CheckoutCompleted checkout => this with { Checkouts = Checkouts.Add(checkout.Request.CheckoutId, checkout) },
            CardOnFileSaved saved => this with
            {
                CustomerId = saved.CustomerId,
                Card = new CardOnFile(saved.PaymentMethodId, saved.Brand, saved.Last4, saved.ExpMonth, saved.ExpYear),
            },
            ChargeAttempted attempt => this with
            {
                ChargeAttempts = ChargeAttempts.Add(new ChargeAttemptView(
                    attempt.AttemptId, attempt.PeriodStart, attempt.Attempt, attempt.Amount, attempt.OccurredAt, Purpose: attempt.Purpose,
                    PaymentMethodId: attempt.PaymentMethodId)),
                BuyOuts = attempt.BuyOut is { } buyOut ? BuyOuts.Add(attempt.AttemptId, buyOut) : BuyOuts,
            },
            ChargeResolved resolved => ApplyResolution(resolved),
            PlanChangeRequested or PlanChanged or PlanChangeScheduled or PlanChangeWithdrawn => ApplyPlanChange(e),
            PriceIncreaseNotified or PriceIncreaseConfirmed => ApplyPriceChange(e),
            RefundRecorded or ChargeDisputed or CardOnFileRemoved => ApplyProcessorEvent(e),
            CancellationRequested or CancellationWithdrawn or MembershipPaused or MembershipResumed or ReactivationOffered or ReactivationAccepted => ApplyLifecycle(e),
            NoticeSent sent => ApplyNoticeSent(sent),
            MemberImported imported => ApplyImport(imported),
            _ => this,
        };
        return next with { Credits = next.Credits.Apply(e) };
    }

    private Member ApplyResolution(ChargeResolved resolved)
    {
        var index = ChargeAttempts.FindIndex(a => a.AttemptId == resolved.AttemptId);
        var attempts = ChargeAttempts.SetItem(index, ChargeAttempts[index] with
        {
            Result = resolved.Result,
            PaymentIntentId = resolved.PaymentIntentId,
            DeclineCode = resolved.DeclineCode,
            Message = resolved.Message,
            ResolvedAt = resolved.OccurredAt,
        });
        // A declined renewal makes the membership past due; a declined first charge leaves it waiting to start, and a
        // declined upgrade leaves the member on their plan.
        var declinedRenewal = resolved.Result != ChargeResult.Succeeded && Status == MembershipStatus.Active
            && ChargeAttempts[index].Purpose == ChargePurpose.Subscription;
        var status = declinedRenewal ? MembershipStatus.PastDue : Status;
        return this with { ChargeAttempts = attempts, Status = status };
    }

    public MemberProfile RequireProfile() =>
        Profile ?? throw Reject.NotFound("member_not_found", "There is no client with this id.");

    private Enrolment RequireEnrolment() =>
        Enrolment ?? throw Reject.Conflict("not_enrolled", "This client has no membership.");
}

/// <summary>
/// A billing period [Start, End): from one billing date to the next, in the home location's time zone. A pause inside
/// it extends it by the days paused (<see cref="PausedDays"/>), which were not a part of the membership used.
/// </summary>
public sealed record BillingPeriod(DateOnly Start, DateOnly End, int PausedDays = 0)
{
    /// <summary>The days of the period the member had the membership for: its length less the days paused.</summary>
    public DateOnly ServedFrom => Start.AddDays(PausedDays);
}

/// <summary>
/// The events a decision produces, folded as they are added, so each step of a decision sees the state the previous
/// steps left (lot numbers, balances).
/// </summary>
internal sealed class Decision(Member start)
{
    private readonly List<MemberEvent> _events = [];

    public Member State { get; private set; } = start;

    public IReadOnlyList<MemberEvent> Events => _events;

    public Decision Add(IEnumerable<MemberEvent> events)
    {
        foreach (var e in events)
        {
            _events.Add(e);
            State = State.Apply(e);
        }

        return this;
    }

    public Decision Add(MemberEvent e) => Add([e]);
}
