using System.Text.RegularExpressions;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Credits;
using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Domain.Members;

public sealed partial record Member
{
    private const int MaxUserAgentLength = 512;

    /// <summary>
    /// Signs the member up to the plan's current version. The agreement is rendered from the plan's terms, signed by
    /// the member typing their name and ticking acceptance, and kept verbatim with its hash. The membership then
    /// waits for its first payment; the anchor day is today in the home location's time zone.
    /// </summary>
    public IReadOnlyList<MemberEvent> Enrol(
        EnrolmentRequest request, SignatureContext signature, PlanVersion plan, PracticeCatalogue catalogue, DateTimeOffset now)
    {
        var profile = RequireProfile();
        if (Status is not (MembershipStatus.None or MembershipStatus.Cancelled))
        {
            throw Reject.Conflict("already_enrolled", "This client already has a membership; change its plan instead.");
        }

        var terms = plan.Terms;
        if (terms.LocationIds is { Count: > 0 } sold && !sold.Contains(profile.HomeLocationId))
        {
            throw Reject.Conflict("plan_not_sold_here", $"{terms.Name} is not sold at the client's home location.");
        }

        if (request.Agreement is not { Accepted: true })
        {
            throw Reject.Invalid("agreement_not_accepted", "The member must tick to accept the agreement.");
        }

        var signedName = WhiteSpace().Replace(request.Agreement.SignedName?.Trim() ?? "", " ");
        if (!string.Equals(signedName, profile.FullName, StringComparison.OrdinalIgnoreCase))
        {
            throw Reject.Invalid("signature_mismatch", $"The member signs by typing their name as on file: {profile.FullName}.");
        }

        var drawn = SignatureImage.Validate(request.Agreement.SignatureImage);

        var (home, enrolledOn, termEnd, text) = Agreement(plan, catalogue, now);
        var agreement = new SignedAgreement(
            plan.PlanId, plan.Version, text, AgreementText.Sha256(text), signedName, now, signature.SignedVia,
            signature.IpAddress, signature.UserAgent is { Length: > MaxUserAgentLength } ua ? ua[..MaxUserAgentLength] : signature.UserAgent)
        {
            SignatureImage = drawn,
        };

        return [new MemberEnrolled(new EnrolledPlan(plan.PlanId, plan.Version, terms), home.TimeZone, enrolledOn, enrolledOn.Day, termEnd, agreement) { OccurredAt = now }];
    }

    /// <summary>The agreement <see cref="Enrol"/> would have the client sign now, to read before signing.</summary>
    public AgreementDraft DraftAgreement(PlanVersion plan, PracticeCatalogue catalogue, DateTimeOffset now)
    {
        RequireProfile();
        var text = Agreement(plan, catalogue, now).Text;
        return new AgreementDraft(plan.PlanId, plan.Version, text, AgreementText.Sha256(text));
    }

    /// <summary>The agreement's text as of today in the home location, with the dates it states.</summary>
    private (Location Home, DateOnly EnrolledOn, DateOnly TermEnd, string Text) Agreement(PlanVersion plan, PracticeCatalogue catalogue, DateTimeOffset now)
    {
        var profile = RequireProfile();
        var home = catalogue.Locations.Single(l => l.Id == profile.HomeLocationId);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(home.TimeZone);
        var enrolledOn = BillingCalendar.LocalDate(now, zone);
        var termEnd = BillingCalendar.TermEnd(enrolledOn, plan.Terms.MinimumTermMonths);
        var text = AgreementText.Render(new AgreementTerms(
            profile.FullName, plan.PlanId, plan.Version, plan.Terms, catalogue.Services.ToDictionary(s => s.Id), home, enrolledOn, enrolledOn.Day, termEnd));
        return (home, enrolledOn, termEnd, text);
    }

    /// <summary>
    /// The subscription payment due, taken at the desk on the card terminal or in cash. Recording the same payment id
    /// again changes nothing.
    /// </summary>
    public IReadOnlyList<MemberEvent> RecordDeskPayment(DeskPayment payment, DateTimeOffset now)
    {
        RequireProfile();
        var enrolment = RequireEnrolment();
        var paymentId = string.IsNullOrWhiteSpace(payment.PaymentId) ? Identifiers.New("pay", now) : payment.PaymentId.Trim();
        if (!PaymentIdPattern().IsMatch(paymentId))
        {
            throw Reject.Invalid("invalid_payment_id", "A payment id looks like pay_ followed by up to 64 letters, digits, - or _.");
        }

        if (Payments.Find(p => p.PaymentId == paymentId) is { } recorded)
        {
            return recorded.Category == BillingCategory.Subscription && recorded.Amount == payment.Amount
                ? []
                : throw Reject.Conflict("payment_id_reused", $"Payment {paymentId} was already recorded with other details.");
        }

        if (payment.Method is not (PaymentMethodKind.CardTerminal or PaymentMethodKind.Cash))
        {
            throw Reject.Invalid("invalid_payment_method", "A desk payment is taken on the card terminal or in cash.");
        }

        if (payment.Amount is { } amount)
        {
            Limits.RequireAmount(amount.Amount);
        }

        if (UnresolvedAttempt is { } unresolved)
        {
            throw Reject.Conflict("charge_in_progress", $"A card charge ({unresolved.AttemptId}) may already have taken this payment; it is being resolved.");
        }

        if (PeriodOwed(now) is not { } periodStart)
        {
            throw Reject.Conflict("nothing_due", "This membership has no payment due.");
        }

        var due = PriceFor(periodStart);
        if (payment.Amount != due)
        {
            throw Reject.Invalid("amount_mismatch", $"The amount due is {due.Amount} {due.Currency}.");
        }

        return new Decision(this)
            .Add(new PaymentRecorded(paymentId, BillingCategory.Subscription, due, payment.Method, PaymentStatus.Succeeded, payment.Reference, periodStart) { OccurredAt = now })
            .Add(PayPeriod(periodStart, paymentId, now))
            .Events;
    }

    /// <summary>
    /// The one place a paid period turns into an active membership and its credits: lapsed credit is expired first, and
    /// rolled-over credit of a benefit the plan no longer includes, then each benefit is allocated, rolled over within its cap or expiring at the period's end. Desk payments
    /// call it here; card billing calls it too. A suspended member's frozen credits thaw first.
    /// </summary>
    public IReadOnlyList<MemberEvent> PayPeriod(DateOnly periodStart, string paymentId, DateTimeOffset now)
    {
        var enrolment = RequireEnrolment();
        var periodEnd = BillingCalendar.NextBillingDate(enrolment.AnchorDay, periodStart);
        // A downgrade due by this period switches the plan first, so the period's credits are the new plan's.
        var decision = new Decision(this).Add(Status == MembershipStatus.Suspended ? Credits.Unfreeze(now) : []);
        decision
            .Add(decision.State.EnterPeriod(periodStart, now))
            .Add(new PeriodPaid(periodStart, periodEnd, paymentId) { OccurredAt = now });
        var benefits = decision.State.Enrolment!.Plan.Terms.Benefits;
        var expiresAt = BillingCalendar.ChargeInstant(periodEnd, enrolment.Zone);
        decision.Add(decision.State.Credits.Allocate(benefits, expiresAt, paymentId, now));
        return decision
            .Add(ReactivationBonus(decision.State, periodStart, expiresAt, now))
            .Events;
    }

    private static HashSet<string> BenefitKeysOf(IEnumerable<Benefit> benefits) =>
        [.. benefits.Select(b => b.Key ?? BenefitKeys.For(b.Kind, b.ServiceId, b.Category))];

    /// <summary>The subscription amount owed now, or null when nothing is owed.</summary>
    public Money? AmountDue => Status is MembershipStatus.PendingPayment or MembershipStatus.PastDue or MembershipStatus.Suspended
            && NextPeriodStart is { } periodStart
        ? PriceFor(periodStart)
        : null;

    /// <summary>The subscription price of the period starting <paramref name="periodStart"/>: the one place a price is read for billing.</summary>
    /// <remarks>A scheduled downgrade and a confirmed price increase both take effect here, from their dates.</remarks>
    /// <remarks>An accepted reactivation offer discounts the first period here too, and so do paid days a pause cut short.</remarks>
    public Money PriceFor(DateOnly periodStart) => WithPauseCarry(periodStart, WithReactivationDiscount(periodStart, PlanPriceFor(periodStart)));

    public MembershipView Membership(string memberId) => Enrolment is not { } enrolment
        ? new MembershipView(memberId, Status, Card: Card)
        : new MembershipView(
            memberId, Status, enrolment.Plan.PlanId, enrolment.Plan.Version, enrolment.Plan.Terms.Name, enrolment.Price, enrolment.TimeZone,
            enrolment.EnrolledOn, enrolment.AnchorDay, PaidPeriod?.Start, NextBillingDate, enrolment.TermEnd, AmountDue, Card)
        {
            NextPrice = NextPeriodStart is { } next ? PriceFor(next) : null,
            PendingPlanChange = PendingPlanChangeView(),
            PendingPriceChange = PendingPriceIncrease(memberId),
            PendingCancellation = PendingCancellationView(),
            PausedUntil = Status == MembershipStatus.Paused ? CurrentPause?.Until : null,
            HasSignedAgreement = enrolment.Agreement is not null,
            SuspendedOn = Status == MembershipStatus.Suspended && Dunning?.SuspendedAt is { } suspendedAt ? BillingCalendar.LocalDate(suspendedAt, enrolment.Zone) : null,
        };

    /// <summary>
    /// The next date a subscription charge is taken, as the member should read it: while paused, the frozen period's end moved by the days paused, and
    /// none once the membership has ended or ends before then.
    /// </summary>
    private DateOnly? NextBillingDate => Status switch
    {
        MembershipStatus.Cancelled or MembershipStatus.None => null,
        MembershipStatus.Paused when PendingCancellation is { } ending && (PausedPeriodEnd ?? CurrentPause?.Until) >= ending.EffectiveOn => null,
        MembershipStatus.Paused => PausedPeriodEnd ?? CurrentPause?.Until,
        _ when PendingCancellation is { } ending && NextPeriodStart >= ending.EffectiveOn => null,
        _ => NextPeriodStart,
    };

    public SignedAgreement RequireAgreement() =>
        Enrolment?.Agreement ?? throw Reject.NotFound("agreement_not_found", "This client has not signed a membership agreement.");

    [GeneratedRegex("^pay_[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex PaymentIdPattern();
}
