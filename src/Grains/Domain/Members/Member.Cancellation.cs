using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
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

    /// <summary>The cancellation each buy-out charge attempt pays for, by attempt id: recorded once its charge is paid.</summary>
    public ImmutableDictionary<string, BuyOutTerms> BuyOuts { get; init; } = ImmutableDictionary<string, BuyOutTerms>.Empty;

    private const string BuyOutKeyPrefix = "buy-out";

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
    /// Confirms a cancellation. Inside the minimum term billing continues to the term end by default. A buy-out (when
    /// the plan allows it) records only a charge attempt for the obligation on the card on file, under the key
    /// <c>buy-out:{member}:{effectiveOn}:{attempt}</c>; the cancellation, effective with the current period, is
    /// recorded by <see cref="ResolveCharge"/> once that charge is paid, and a decline changes nothing else. After the
    /// term it ends with the current period. Confirming the same again records nothing: a buy-out whose attempt is
    /// still open is the grain's to settle under the same key, never a second charge.
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
        var chosen = terms.Choices.Single(c => c.Option == terms.Option);
        var prefix = BuyOutAttemptPrefix(terms.EffectiveOn);
        if (UnresolvedAttempt is { Purpose: ChargePurpose.BuyOut } open)
        {
            // The same buy-out again (its answer was lost): the grain settles that attempt. Anything else must wait for it,
            // or a paid buy-out could meet a cancellation recorded meanwhile.
            return boughtOut && open.AttemptId.StartsWith(prefix, StringComparison.Ordinal) && BuyOuts.GetValueOrDefault(open.AttemptId)?.Reason == reason
                ? []
                : throw Reject.Conflict("charge_in_progress", $"The buy-out charge {open.AttemptId} has no answer yet; billing settles it within minutes, then try again.");
        }

        if (chosen.ChargeNow.Amount > 0)
        {
            return StartBuyOut(prefix, new BuyOutTerms(reason, note, chosen.EffectiveOn), chosen.ChargeNow, now);
        }

        var owed = terms.RemainingObligation.Amount > 0 && !boughtOut
            ? Invariant($" Billing continues on {terms.BillingDates.Length} more billing date(s) until then.")
            : "";
        return
        [
            new CancellationRequested(reason, note, terms.Option, terms.EffectiveOn, terms.RemainingObligation, boughtOut) { OccurredAt = now },
            Notice(NoticeKind.CancellationConfirmed, now, $"Your membership will end on {LocalDay(terms.EffectiveOn)}.{owed} {terms.Credits}"),
        ];
    }

    /// <summary>
    /// What a confirmation came to: the pending cancellation, or (a buy-out not yet paid) the quote with the charge it
    /// is waiting on (<see cref="CancellationStage.PaymentUnknown"/>) or was declined by (<see cref="CancellationStage.PaymentDeclined"/>).
    /// </summary>
    public CancellationView ConfirmationOutcome(CancellationRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (PendingCancellationView() is { } pending)
        {
            return pending;
        }

        var attempt = ChargeAttempts.FindLast(a => a.Purpose == ChargePurpose.BuyOut);
        if (attempt is null || !BuyOuts.TryGetValue(attempt.AttemptId, out var buyOut))
        {
            throw new InvalidOperationException("A confirmation leaves a pending cancellation or a buy-out charge attempt.");
        }

        // As the attempt asked, even if the quote today would differ (the period rolled over while the answer was lost).
        return QuoteCancellation(request.Option, now) with
        {
            Stage = attempt.Result is null ? CancellationStage.PaymentUnknown : CancellationStage.PaymentDeclined,
            EffectiveOn = buyOut.EffectiveOn,
            BuyOutCharge = attempt.Amount,
            Reason = buyOut.Reason,
            Note = buyOut.Note,
            AttemptId = attempt.AttemptId,
            DeclineCode = attempt.DeclineCode ?? attempt.Result?.ToString(),
        };
    }

    /// <summary>
    /// The charge attempt for a buy-out, numbered among the attempts for the same effective date: a confirmation
    /// retried after a decline (a new card, say) tries again under the next key, one retried after a lost answer never
    /// gets here (the open attempt is settled instead).
    /// </summary>
    private IReadOnlyList<MemberEvent> StartBuyOut(string prefix, BuyOutTerms buyOut, Money charge, DateTimeOffset now)
    {
        if (UnresolvedAttempt is { } unresolved)
        {
            throw Reject.Conflict("charge_in_progress", $"The outcome of {unresolved.AttemptId} is not known yet.");
        }

        var card = Card ?? throw Reject.Conflict(
            "no_card_on_file", "A buy-out is charged on the card on file, and the member has none: add a card first, or choose continue_to_term_end.");
        var attempt = ChargeAttempts.Count(a => a.AttemptId.StartsWith(prefix, StringComparison.Ordinal)) + 1;
        var key = string.Create(CultureInfo.InvariantCulture, $"{prefix}{attempt}");
        return [new ChargeAttempted(key, buyOut.EffectiveOn, attempt, charge, key, card.PaymentMethodId, ChargePurpose.BuyOut, BuyOut: buyOut) { OccurredAt = now }];
    }

    /// <summary>
    /// A paid buy-out: the cancellation it was for is recorded, effective with the period, and the member told what they
    /// paid. <see cref="ResolveCharge"/> calls it once the payment is recorded. Paid when the cancellation can no longer be
    /// recorded as asked (one already pending, the membership no longer running): the money is recorded, nothing else.
    /// </summary>
    private IReadOnlyList<MemberEvent> CompleteBuyOut(ChargeAttemptView attempt, DateTimeOffset now)
    {
        if (!BuyOuts.TryGetValue(attempt.AttemptId, out var buyOut) || PendingCancellation is not null
            || Status is not (MembershipStatus.Active or MembershipStatus.PastDue or MembershipStatus.Paused))
        {
            return [];
        }

        var paid = Invariant($"{attempt.Amount.Amount / 100m:0.00} {attempt.Amount.Currency.ToUpperInvariant()}");
        return
        [
            new CancellationRequested(buyOut.Reason, buyOut.Note, CancellationOption.BuyOut, buyOut.EffectiveOn, attempt.Amount, BoughtOut: true) { OccurredAt = now },
            Notice(NoticeKind.CancellationConfirmed, now,
                $"Your membership will end on {LocalDay(buyOut.EffectiveOn)}. You paid {paid} to buy out the rest of your minimum term. {CreditsNote(buyOut.EffectiveOn)}"),
        ];
    }

    /// <summary>The member id and the date the cancellation takes effect: the same buy-out asked again in the period shares it.</summary>
    private string BuyOutAttemptPrefix(DateOnly effectiveOn) =>
        string.Create(CultureInfo.InvariantCulture, $"{BuyOutKeyPrefix}:{RequireProfile().Id}:{effectiveOn:yyyy-MM-dd}:");

    /// <summary>Withdraws a pending cancellation; a bought-out one cannot be (it is paid for).</summary>
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
            throw Reject.Conflict("cancellation_bought_out", "This cancellation was bought out and the rest of the term paid; it cannot be withdrawn.");
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
    /// <remarks><see cref="CancellationView.ChargedNow"/> is the buy-out paid, so a confirmation can say what was charged.</remarks>
    public CancellationView? PendingCancellationView()
    {
        if (PendingCancellation is not { } pending || Enrolment is not { } enrolment)
        {
            return null;
        }

        var charged = pending.BoughtOut ? pending.Obligation : pending.Obligation with { Amount = 0 };
        var billedLater = pending.BoughtOut ? pending.Obligation with { Amount = 0 } : pending.Obligation;
        var credits = CreditsNote(pending.EffectiveOn);
        return new CancellationView(
            CancellationStage.Pending, pending.Option != CancellationOption.ContinueToTermEnd || pending.Obligation.Amount == 0, enrolment.TermEnd,
            pending.EffectiveOn, pending.Option, pending.Obligation, [], [pending.Option], charged, credits, pending.Reason, pending.Note)
        {
            Choices = [new CancellationChoice(pending.Option, charged, billedLater, [], pending.EffectiveOn, credits)],
            ChargedNow = charged,
        };
    }

    private Enrolment RequireCancellable()
    {
        RequireProfile();
        var enrolment = RequireEnrolment();
        return Status switch
        {
            // A paused member must not have to resume (and be charged) just to be allowed to leave.
            MembershipStatus.Active or MembershipStatus.PastDue or MembershipStatus.Paused => enrolment,
            MembershipStatus.Cancelled => throw Reject.Conflict("already_cancelled", "The membership has already ended."),
            MembershipStatus.Suspended => throw Reject.Conflict("membership_suspended", "The membership is suspended for non-payment; it is cancelled automatically unless the member pays."),
            MembershipStatus.PendingPayment => throw Reject.Conflict("membership_pending_payment", "The membership has not started: its first payment was never taken."),
            _ => throw Reject.Conflict("not_enrolled", "This client has no membership."),
        };
    }

    private CancellationView CancellationTerms(Enrolment enrolment, CancellationOption? asked, DateTimeOffset now)
    {
        var today = BillingCalendar.LocalDate(now, enrolment.Zone);
        // While paused the current period is the frozen one, extended by the days paused; its end becomes the anchor
        // day. (A pause recorded before the freeze rule was a period of its own, ending on the resume date.)
        var pause = Status == MembershipStatus.Paused ? CurrentPause : null;
        var pausedEnd = PausedPeriodEnd ?? pause?.Until;
        var anchorDay = pausedEnd?.Day ?? enrolment.AnchorDay;
        var endOfPeriod = pausedEnd ?? BillingCalendar.NextBillingDate(enrolment.AnchorDay, today);
        var policy = enrolment.Plan.Terms.Cancellation;
        var quote = MinimumTerm.Quote(PriceFor(endOfPeriod), enrolment.TermEnd, anchorDay, today, CancellationPolicy.ContinueToTermEnd);
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
        for (var date = endOfPeriod; !quote.TermMet && date < enrolment.TermEnd; date = BillingCalendar.NextBillingDate(anchorDay, date))
        {
            dates.Add(date);
            // Each date at its own price: a confirmed increase or a scheduled downgrade counts from its date.
            obligation = obligation with { Amount = checked(obligation.Amount + PriceFor(date).Amount) };
        }

        // Each option's figures come from here and nowhere else: what the page offers is what confirming charges.
        var none = obligation with { Amount = 0 };
        CancellationChoice ChoiceOf(CancellationOption each)
        {
            var (chargeNow, billedLater, billingDates, effectiveOn) = each switch
            {
                CancellationOption.ContinueToTermEnd => (none, obligation, dates.ToArray(), enrolment.TermEnd),
                CancellationOption.BuyOut => (obligation, none, Array.Empty<DateOnly>(), endOfPeriod),
                _ => (none, none, Array.Empty<DateOnly>(), endOfPeriod),
            };
            var credits = pause is { PaidUntil: null } && effectiveOn == pause.Until
                ? $"Membership credits stay frozen while the membership is paused and expire when it ends on {LocalDay(effectiveOn)}. Packages bought separately are kept."
                : CreditsNote(effectiveOn);
            return new CancellationChoice(each, chargeNow, billedLater, billingDates, effectiveOn, credits);
        }

        var choices = options.Select(ChoiceOf).ToArray();
        var chosen = choices.Single(c => c.Option == option);
        var buyOutCharge = choices.FirstOrDefault(c => c.Option == CancellationOption.BuyOut)?.ChargeNow ?? none;
        return new CancellationView(
            CancellationStage.Quoted, quote.TermMet, enrolment.TermEnd, chosen.EffectiveOn, option, obligation, [.. dates], options, buyOutCharge, chosen.Credits)
        {
            Choices = choices,
        };
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
        MembershipResumed { NextPeriodStart: { } next } resumed => this with
        {
            // The freeze: the paid period runs on by the days paused and the next charge moves with it.
            Status = MembershipStatus.Active,
            CurrentPause = null,
            Enrolment = Enrolment! with { AnchorDay = resumed.AnchorDay },
            NextPeriodStart = next,
            PaidPeriod = PaidPeriod is { } paid
                ? paid with { End = next, PausedDays = paid.PausedDays + Math.Max(0, next.DayNumber - paid.End.DayNumber) }
                : null,
            PauseCarry = null,
        },
        MembershipResumed resumed => this with
        {
            // A pause recorded before the freeze rule: the resume date started a new period, less the carried paid days.
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
