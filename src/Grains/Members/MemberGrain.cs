using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Settings;
using MedSpa.Grains.Billing;
using MedSpa.Grains.Clock;
using MedSpa.Grains.Telemetry;
using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Practice;
using MedSpa.Settings;
using Orleans.EventSourcing;
using Orleans.EventSourcing.CustomStorage;
using Orleans.Providers;
using Orleans.Serialization.Cloning;

namespace MedSpa.Grains.Members;

/// <summary>
/// The member grain: event-sourced over <c>member_events</c>. Each command asks the domain for the events that
/// record it, appends them conditionally on the log's length, and only then answers; a refused command writes
/// nothing, and a command that loses a race with another writer is refused as a conflict rather than applied twice.
/// </summary>
[LogConsistencyProvider(ProviderName = IMemberJournal.ProviderName)]
public sealed partial class MemberGrain(
    IMemberJournal journal, IPaymentGateway gateway, IDueIndex dueIndex, IClockCatchUp clockCatchUp, TimeProvider clock, MedSpaMetrics metrics)
    : JournaledGrain<MemberLog, MemberEvent>, IMemberGrain, ICustomStorageInterface<MemberLog, MemberEvent>
{
    private string Id => this.GetPrimaryKeyString();

    /// <summary>The member as folded from their log; a log that could not be folded refuses every use of it.</summary>
    private Member Member => State.Damage is { } damage ? throw Damaged(damage) : State.Member;

    private DateTimeOffset Now => clock.GetUtcNow();

    private IPracticeGrain Practice => GrainFactory.GetGrain<IPracticeGrain>(IPracticeGrain.Key);

    /// <summary>
    /// The practice's retry schedule as last read. The practice can change it at run time, so it is read again before
    /// each settlement and each wake, which is when a retry or a suspension gets scheduled.
    /// </summary>
    private DunningPolicy _dunning = DunningPolicy.Default;

    private async Task RefreshDunningAsync() =>
        _dunning = PracticeSettingsRules.Policy(await GrainFactory.GetGrain<IPracticeSettingsGrain>(IPracticeSettingsGrain.Key).GetRetryScheduleAsync());

    public async Task<MemberProfile> RegisterAsync(NewClient client, Registrar registeredBy)
    {
        var catalogue = await Practice.GetCatalogueAsync();
        var events = Member.Register(Id, client, registeredBy, catalogue.Locations, Now);
        var profile = ((ClientRegistered)events[0]).Profile;
        await GrainFactory.GetGrain<IMemberDirectoryGrain>(IMemberDirectoryGrain.Key)
            .ClaimAsync(new MemberSummary(Id, profile.FullName, profile.Email, profile.Phone, profile.HomeLocationId));
        await RecordAsync(events);
        return Member.RequireProfile();
    }

    public Task<MemberProfile> GetProfileAsync() => Task.FromResult(Member.RequireProfile());

    public Task RequireBookableAsync(Service service)
    {
        Member.RequireBookable(service);
        return Task.CompletedTask;
    }

    public async Task<MembershipView> EnrolAsync(EnrolmentRequest request, SignatureContext signature)
    {
        ArgumentNullException.ThrowIfNull(request);
        Member.RequireProfile();
        return await JoinPlanAsync(request.PlanId, (plan, catalogue) => Member.Enrol(request, signature, plan, catalogue, Now));
    }

    public async Task<AgreementDraft> PreviewAgreementAsync(string planId) =>
        Member.DraftAgreement(await CurrentVersionAsync(planId), await Practice.GetCatalogueAsync(), Now);

    /// <summary>
    /// Enrolment and reactivation alike: the plan's current version, the member on its roster, the decision recorded,
    /// then the first period charged at once when there is a card on file.
    /// </summary>
    private async Task<MembershipView> JoinPlanAsync(string? planId, Func<PlanVersion, PracticeCatalogue, IReadOnlyList<MemberEvent>> decide)
    {
        var plan = await CurrentVersionAsync(planId);
        var events = decide(plan, await Practice.GetCatalogueAsync());
        await RosterOf(plan.PlanId).JoinAsync(Id);
        await RecordAsync(events);
        await ChargeThenScheduleAsync(Member.Card is not null);
        return Member.Membership(Id);
    }

    /// <summary>Charges what is due (when asked to) and, whatever happens, points the due index at the next wake.</summary>
    private async Task ChargeThenScheduleAsync(bool charge)
    {
        try
        {
            if (charge)
            {
                await ChargeDueAsync();
            }
        }
        finally
        {
            await ScheduleAsync();
        }
    }

    public async Task<MembershipView> SavePaymentMethodAsync(string paymentMethodId)
    {
        var customerId = await CustomerAsync();
        return await SaveCardAsync(customerId, await gateway.AttachCardAsync(customerId, paymentMethodId));
    }

    public async Task<CardSetupView> StartCardSetupAsync()
    {
        var customerId = await CustomerAsync();
        await RecordAsync(Member.RecordCustomer(customerId, Now));
        var setup = await gateway.StartCardSetupAsync(customerId);
        return new CardSetupView(setup.SetupIntentId, setup.ClientSecret);
    }

    public async Task<MembershipView> CompleteCardSetupAsync(string setupIntentId)
    {
        var customerId = Member.CustomerId
            ?? throw Domain.Reject.NotFound("card_setup_not_found", "No card setup was started for this member.");
        return await SaveCardAsync(customerId, await gateway.CompleteCardSetupAsync(customerId, setupIntentId));
    }

    private async Task<string> CustomerAsync()
    {
        var profile = Member.RequireProfile();
        return Member.CustomerId ?? await gateway.EnsureCustomerAsync(Id, profile.Email, profile.FullName);
    }

    private async Task<MembershipView> SaveCardAsync(string customerId, SavedCard saved)
    {
        await RecordAsync(Member.SaveCard(customerId, new CardOnFile(saved.PaymentMethodId, saved.Brand, saved.Last4, saved.ExpMonth, saved.ExpYear), Now));
        // A member who owes money and just gave a new card is charged at once, not at the next scheduled retry.
        await ChargeThenScheduleAsync(Member.PeriodOwed(Now) is not null || Member.UnresolvedAttempt is not null);

        return Member.Membership(Id);
    }

    public Task<IReadOnlyList<ChargeAttemptView>> GetChargeAttemptsAsync()
    {
        Member.RequireProfile();
        return Task.FromResult<IReadOnlyList<ChargeAttemptView>>(Member.ChargeAttempts);
    }

    public async Task<MembershipView> RecordDeskPaymentAsync(DeskPayment payment)
    {
        await RecordAsync(Member.RecordDeskPayment(payment, Now));
        await ScheduleAsync();
        return Member.Membership(Id);
    }

    public Task<MembershipView> GetMembershipAsync()
    {
        Member.RequireProfile();
        return Task.FromResult(Member.Membership(Id));
    }

    public Task<SignedAgreement> GetAgreementAsync() => Task.FromResult(Member.RequireAgreement());

    public Task<CreditsView> GetCreditsAsync()
    {
        Member.RequireProfile();
        return Task.FromResult(Member.CreditsView(Id, Now));
    }

    public async Task<IReadOnlyList<LedgerEntry>> GetLedgerAsync()
    {
        Member.RequireProfile();
        var entries = await journal.ReadAsync(Id);
        return Domain.Credits.CreditLedger.History(entries.Select(e => (e.Seq, e.Event)));
    }

    public Task<IReadOnlyList<PaymentView>> GetPaymentsAsync()
    {
        Member.RequireProfile();
        return Task.FromResult<IReadOnlyList<PaymentView>>(Member.Payments);
    }

    public async Task<IReadOnlyList<RecordedEvent>> GetEventsAsync()
    {
        // A log that cannot be folded is still listed, so whoever repairs it can see the event it stops at.
        if (State.Damage is null)
        {
            Member.RequireProfile();
        }

        var entries = await journal.ReadAsync(Id);
        return entries.Select(e => new RecordedEvent(e.Seq, e.Type, e.Event.OccurredAt, e.PayloadJson)).ToList();
    }

    public async Task<RedemptionView> RedeemAsync(RedemptionRequest request)
    {
        await RecordAsync(Member.Redeem(request, Now));
        return Member.RequireRedemption(request.RedemptionId);
    }

    public async Task<RedemptionView> VoidRedemptionAsync(string redemptionId, string reason)
    {
        await RecordCreditsAsync(Member.VoidRedemption(redemptionId, reason, Now));
        return Member.RequireRedemption(redemptionId);
    }

    public async Task<CreditsView> AdjustCreditsAsync(CreditAdjustmentRequest request)
    {
        await RecordCreditsAsync(Member.AdjustCredits(request, Now));
        return Member.CreditsView(Id, Now);
    }

    public async Task<CreditsView> PurchaseAddOnAsync(AddOnPurchaseRequest request)
    {
        await RecordCreditsAsync(Member.PurchaseAddOn(request, Now));
        return Member.CreditsView(Id, Now);
    }

    public async Task<CheckoutQuote> PreviewCheckoutAsync(Basket basket)
    {
        Member.RequireProfile();
        var catalogue = await Practice.GetCatalogueAsync();
        return Member.PriceBasket(basket, catalogue.Services, Now);
    }

    public async Task<CheckoutReceipt> CheckoutAsync(CheckoutRequest request)
    {
        Member.RequireProfile();
        var catalogue = await Practice.GetCatalogueAsync();
        await RecordCreditsAsync(Member.Checkout(request, catalogue.Services, Now));
        return Member.RequireCheckout(request.CheckoutId);
    }

    protected override void TransitionState(MemberLog state, MemberEvent @event) => state.Member = state.Member.Apply(@event);

    /// <summary>
    /// Folds the stored log. One that cannot be read or folded is not retried (the runtime would retry a failed read
    /// for ever, and every call to the member would hang behind it): the member is held as damaged, each use of it is
    /// refused as <c>member_log_unreadable</c>, and it is read again on its next activation.
    /// </summary>
    public async Task<KeyValuePair<int, MemberLog>> ReadStateFromStorage()
    {
        IReadOnlyList<JournalEntry> entries;
        try
        {
            entries = await journal.ReadAsync(Id);
        }
        catch (UnreadableLogException damaged)
        {
            // Version 0 behind a log that has events: any append, were one ever attempted, is refused by the journal.
            return new(0, DamagedLog(damaged));
        }

        var member = Domain.Members.Member.Unregistered;
        foreach (var entry in entries)
        {
            try
            {
                member = member.Apply(entry.Event);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return new(entries.Count, DamagedLog(new UnreadableLogException(Id, entry.Seq, entry.Type, e)));
            }
        }

        return new(entries.Count, new MemberLog { Member = member });
    }

    public Task<bool> ApplyUpdatesToStorage(IReadOnlyList<MemberEvent> updates, int expectedVersion) =>
        journal.AppendAsync(Id, expectedVersion, updates);

    /// <summary>The log is the audit trail: it is never cleared.</summary>
    public Task<bool> ClearStoredState() =>
        throw new NotSupportedException("A member's history is append-only and is never cleared.");

    /// <summary>
    /// Charges the subscription payment due on the card on file: an attempt left open by a crash or an unknown
    /// answer is settled first, by finding its charge or repeating it with the same idempotency key, so the card is
    /// never charged twice for one attempt.
    /// </summary>
    private async Task ChargeDueAsync()
    {
        if (Member.UnresolvedAttempt is { } open)
        {
            await SettleAsync(open.AttemptId, await gateway.FindChargeAsync(open.AttemptId) ?? await SendAsync(open.AttemptId));
            // With no card left (removed while the answer was unknown) billing waits for one, as after any decline.
            if (Member.UnresolvedAttempt is not null || Member.PeriodOwed(Now) is null || Member.Card is null)
            {
                return;
            }
        }

        await RecordAsync(Member.StartCharge(Id, Now));
        // A period with nothing to pay (a pause's carry covered it) is settled without an attempt.
        if (Member.UnresolvedAttempt is { } attempt)
        {
            await SettleAsync(attempt.AttemptId, await SendAsync(attempt.AttemptId));
        }
    }

    private Task<ChargeOutcome> SendAsync(string attemptId)
    {
        var attempt = Member.ChargeAttempts.Find(a => a.AttemptId == attemptId)!;
        var plan = Member.Enrolment!.Plan.Terms.Name;
        // The same words and card every time an attempt is sent: the processor refuses a repeated key with other
        // parameters, and the card may have been changed or removed since the attempt was recorded.
        var description = attempt.Purpose == ChargePurpose.BuyOut
            ? $"{plan} {Domain.Members.Member.BuyOutDescription}"
            : $"{plan} membership from {attempt.PeriodStart:yyyy-MM-dd}";
        return gateway.ChargeAsync(new ChargeRequest(
            Member.CustomerId!, attempt.PaymentMethodId ?? Member.Card!.PaymentMethodId, attempt.Amount, attemptId, attemptId, Id, description));
    }

    private async Task SettleAsync(string attemptId, ChargeOutcome outcome)
    {
        await RefreshDunningAsync();
        await RecordAsync(Member.ResolveCharge(attemptId, outcome.Result, outcome.PaymentIntentId, outcome.DeclineCode, outcome.Message, Now, _dunning));
    }

    private async Task RecordAsync(IReadOnlyList<MemberEvent> events)
    {
        var before = Member;
        if (events.Count > 0)
        {
            // Decided, folded in memory, and only then appended: the runtime would append an event its fold throws on
            // (it logs the exception and carries on), and the member could never be read again.
            RefuseUnfoldable(before, events);
            if (!await RaiseConditionalEvents(events))
            {
                throw Domain.Reject.Conflict("concurrent_update", "The member changed while this was being recorded; nothing was recorded. Try again.");
            }
        }

        metrics.Recorded(before, events);
        await DispatchRecordedAsync(events);
        PublishLive(before);
    }

    /// <summary>
    /// Records a change to the credits. A lot granted or given back (an add-on, a package, a correction, a void) may
    /// need its expiry notice before anything billing had scheduled, so the due index is pointed again; it is only
    /// written when the instant moves.
    /// </summary>
    private async Task RecordCreditsAsync(IReadOnlyList<MemberEvent> events)
    {
        await RecordAsync(events);
        if (events.Any(e => e is CreditsAllocated or RedemptionVoided or CreditsAdjusted { Quantity: > 0 }))
        {
            await ScheduleAsync();
        }
    }
}

/// <summary>
/// The journaled grain's view: a holder for the immutable <see cref="Domain.Members.Member"/>, which the event
/// sourcing runtime copies between its confirmed and tentative views. A copy shares the immutable member.
/// </summary>
public sealed class MemberLog
{
    public Member Member { get; set; } = Member.Unregistered;

    /// <summary>Where the stored log stops being readable (<c>seq 12 (credits_adjusted)</c>), or null for a whole log.</summary>
    public string? Damage { get; set; }
}

[RegisterCopier]
internal sealed class MemberLogCopier : IDeepCopier<MemberLog>
{
    public MemberLog? DeepCopy(MemberLog? input, CopyContext context) => input is null ? null : new() { Member = input.Member, Damage = input.Damage };
}
