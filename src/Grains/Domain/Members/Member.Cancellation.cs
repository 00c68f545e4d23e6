using System.Collections.Frozen;
using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Domain.Members;

public sealed partial record Member
{
    /// <summary>The reasons reports group voluntary churn by; "other" needs a note to be any use.</summary>
    public static readonly FrozenSet<string> CancellationReasons = FrozenSet.ToFrozenSet(["price", "relocation", "not_using", "results", "medical", "other"], StringComparer.Ordinal);

    /// <summary>A confirmed cancellation not yet in effect: billing runs to its date, then the membership ends.</summary>
    public CancellationRequested? PendingCancellation { get; init; }

    /// <summary>How the last membership ended (voluntary or not), for reactivation.</summary>
    public MembershipCancelled? LastCancellation { get; init; }

    /// <summary>
    /// What cancelling today would mean, recording nothing: when it takes effect, what the minimum term still owes and
    /// for which billing dates, the options the plan allows, and what becomes of the credits.
    /// </summary>
    public CancellationView QuoteCancellation(CancellationOption? option, DateTimeOffset now)
    {
        var enrolment = RequireCancellable();
        return CancellationTerms(enrolment, option, now);
    }

    /// <summary>
    /// Confirms a cancellation. Inside the minimum term billing continues to the term end by default; a buy-out (when the
    /// plan allows it) invoices the obligation at once and ends the membership with the current period. After the
    /// term it ends with the current period. Confirming the same again records nothing.
    /// </summary>
    public IReadOnlyList<MemberEvent> ConfirmCancellation(CancellationRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reason = request.Reason?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(reason))
        {
            throw Reject.Invalid("cancellation_reason_required", "A cancellation needs a reason: price, relocation, not_using, results, medical or other.");
        }

        if (!CancellationReasons.Contains(reason))
        {
            throw Reject.Invalid("invalid_cancellation_reason", $"\"{request.Reason}\" is not a reason; use price, relocation, not_using, results, medical or other.");
        }

        var note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        if (reason == "other" && note is null)
        {
            throw Reject.Invalid("cancellation_note_required", "A cancellation for another reason needs a note saying what it is.");
        }

        if (note is { Length: > 500 })
        {
            throw Reject.Invalid("cancellation_note_too_long", "A cancellation note is at most 500 characters.");
        }

        var enrolment = RequireCancellable();
        var terms = CancellationTerms(enrolment, request.Option, now);
        if (PendingCancellation is { } pending)
        {
            // A retried confirmation is recognised; a different one must withdraw the first.
            return pending.Reason == reason && pending.Option == terms.Option
                ? []
                : throw Reject.Conflict("cancellation_pending", $"A cancellation effective {pending.EffectiveOn:yyyy-MM-dd} is already pending; withdraw it first.");
        }

        var boughtOut = terms.Option == CancellationOption.BuyOut;
        var decision = new Decision(this)
            .Add(new CancellationRequested(reason, note, terms.Option, terms.EffectiveOn, terms.RemainingObligation, boughtOut) { OccurredAt = now });
        if (boughtOut && terms.BuyOutCharge.Amount > 0)
        {
            // Invoiced, not charged: the desk or the portal settles it like any open invoice.
            decision.Add(new PaymentRecorded(
                Identifiers.New("pay", now), BillingCategory.Subscription, terms.BuyOutCharge, null, PaymentStatus.Open, "minimum-term buy-out") { OccurredAt = now });
        }

        var owed = terms.RemainingObligation.Amount > 0 && !boughtOut
            ? Invariant($" Billing continues on {terms.BillingDates.Length} more billing date(s) until then.")
            : "";
        return decision
            .Add(Notice(NoticeKind.CancellationConfirmed, now, $"Your membership will end on {LocalDay(terms.EffectiveOn)}.{owed} {terms.Credits}"))
            .Events;
    }

    /// <summary>Withdraws a pending cancellation; a bought-out one cannot be (its invoice stands).</summary>
    public IReadOnlyList<MemberEvent> WithdrawCancellation(DateTimeOffset now)
    {
        RequireProfile();
        RequireEnrolment();
        if (Status == MembershipStatus.Cancelled)
        {
            throw Reject.Conflict("already_cancelled", "The membership has already ended.");
        }

        if (PendingCancellation is not { } pending)
        {
            throw Reject.Conflict("no_pending_cancellation", "There is no pending cancellation to withdraw.");
        }

        if (pending.BoughtOut)
        {
            throw Reject.Conflict("cancellation_bought_out", "This cancellation was bought out; its invoice stands, so it cannot be withdrawn.");
        }

        return
        [
            new CancellationWithdrawn(pending.EffectiveOn) { OccurredAt = now },
            Notice(NoticeKind.CancellationWithdrawn, now, "Your cancellation is withdrawn: your membership carries on as before."),
        ];
    }

    /// <summary>The pending cancellation's date has come: the membership ends and its credits expire (packages stay).</summary>
    public IReadOnlyList<MemberEvent> EndMembership(DateTimeOffset now)
    {
        if (PendingCancellation is not { } pending || Status is MembershipStatus.Cancelled or MembershipStatus.None)
        {
            return [];
        }

        var decision = new Decision(this)
            .Add(new MembershipCancelled(pending.Reason, pending.Note, Involuntary: false, pending.EffectiveOn) { OccurredAt = now })
            .Add(Credits.Unfreeze(now));
        return decision
            .Add(decision.State.Credits.ExpireAll(now))
            .Add(Notice(NoticeKind.MembershipEnded, now, "Your membership has ended as you asked. You are welcome back at any time."))
            .Events;
    }

    /// <summary>The pending cancellation as the member sees it, or null.</summary>
    public CancellationView? PendingCancellationView() => PendingCancellation is { } pending && Enrolment is { } enrolment
        ? new CancellationView(
            CancellationStage.Pending, pending.Option != CancellationOption.ContinueToTermEnd || pending.Obligation.Amount == 0, enrolment.TermEnd,
            pending.EffectiveOn, pending.Option, pending.Obligation, [], [pending.Option],
            pending.BoughtOut ? pending.Obligation : pending.Obligation with { Amount = 0 }, CreditsNote(pending.EffectiveOn), pending.Reason, pending.Note)
        : null;

    private Enrolment RequireCancellable()
    {
        RequireProfile();
        var enrolment = RequireEnrolment();
        return Status switch
        {
            MembershipStatus.Active or MembershipStatus.PastDue => enrolment,
            MembershipStatus.Cancelled => throw Reject.Conflict("already_cancelled", "The membership has already ended."),
            MembershipStatus.Paused => throw Reject.Conflict("membership_paused", "The membership is paused; resume it before cancelling."),
            MembershipStatus.Suspended => throw Reject.Conflict("membership_suspended", "The membership is suspended for non-payment; it is cancelled automatically unless the member pays."),
            MembershipStatus.PendingPayment => throw Reject.Conflict("membership_pending_payment", "The membership has not started: its first payment was never taken."),
            _ => throw Reject.Conflict("not_enrolled", "This client has no membership."),
        };
    }

    private CancellationView CancellationTerms(Enrolment enrolment, CancellationOption? asked, DateTimeOffset now)
    {
        var today = BillingCalendar.LocalDate(now, enrolment.Zone);
        var endOfPeriod = BillingCalendar.NextBillingDate(enrolment.AnchorDay, today);
        var policy = enrolment.Plan.Terms.Cancellation;
        var quote = MinimumTerm.Quote(PriceFor(endOfPeriod), enrolment.TermEnd, enrolment.AnchorDay, today, CancellationPolicy.ContinueToTermEnd);
        CancellationOption[] options = quote.TermMet
            ? [CancellationOption.EndOfPeriod]
            : policy == CancellationPolicy.BuyOut ? [CancellationOption.ContinueToTermEnd, CancellationOption.BuyOut] : [CancellationOption.ContinueToTermEnd];
        var option = asked ?? options[0];
        if (!options.Contains(option))
        {
            throw Reject.Invalid("cancellation_option_not_allowed", $"This membership can be cancelled with: {string.Join(", ", options.Select(Snake))}.");
        }

        var dates = new List<DateOnly>();
        var obligation = quote.RemainingObligation with { Amount = 0 };
        for (var date = endOfPeriod; !quote.TermMet && date < enrolment.TermEnd; date = BillingCalendar.NextBillingDate(enrolment.AnchorDay, date))
        {
            dates.Add(date);
            // Each date at its own price: a confirmed increase or a scheduled downgrade counts from its date.
            obligation = obligation with { Amount = checked(obligation.Amount + PriceFor(date).Amount) };
        }

        var effectiveOn = option == CancellationOption.ContinueToTermEnd ? enrolment.TermEnd : endOfPeriod;
        var buyOut = option == CancellationOption.BuyOut ? obligation : obligation with { Amount = 0 };
        return new CancellationView(
            CancellationStage.Quoted, quote.TermMet, enrolment.TermEnd, effectiveOn, option, obligation, [.. dates], options, buyOut, CreditsNote(effectiveOn));
    }

    private static string CreditsNote(DateOnly effectiveOn) =>
        $"Membership credits stay usable until the membership ends on {LocalDay(effectiveOn)}; any left then expire. Packages bought separately are kept.";

    private static string Snake(CancellationOption option) => option switch
    {
        CancellationOption.ContinueToTermEnd => "continue_to_term_end",
        CancellationOption.BuyOut => "buy_out",
        _ => "end_of_period",
    };

    /// <summary>The lifecycle events' effect on the state (cancellation, pause, reactivation).</summary>
    private Member ApplyLifecycle(MemberEvent e) => e switch
    {
        CancellationRequested requested => this with { PendingCancellation = requested },
        CancellationWithdrawn => this with { PendingCancellation = null },
        MembershipPaused paused => this with { Status = MembershipStatus.Paused, CurrentPause = paused, PausesTaken = PausesTaken.Add(paused.From) },
        MembershipResumed resumed => this with
        {
            Status = MembershipStatus.Active,
            CurrentPause = null,
            Enrolment = Enrolment! with { AnchorDay = resumed.AnchorDay },
            NextPeriodStart = resumed.On,
            PauseCarry = CurrentPause?.UnusedPaid is { Amount: > 0 } unused ? new PauseCarry(resumed.On, unused) : null,
        },
        ReactivationOffered offered => this with { Reactivation = new ReactivationState(offered, null) },
        ReactivationAccepted => this with { Reactivation = Reactivation! with { FirstPeriod = Enrolment!.EnrolledOn } },
        _ => this,
    };
}
