using Orleans.Concurrency;

namespace MedSpa.Members;

/// <summary>
/// A client of the practice (key <c>mem_&lt;ulid&gt;</c>), member or not: profile, membership, credit ledger,
/// payments. Its history is an append-only event log; every view is derived from it.
/// </summary>
public interface IMemberGrain : IGrainWithStringKey
{
    /// <summary>Creates the client. 409 <c>member_exists</c> when this id is already registered.</summary>
    Task<MemberProfile> RegisterAsync(NewClient client, Registrar registeredBy);

    /// <summary>
    /// Creates a member from a practice's old records with their membership as it stands: no charge, no agreement to
    /// sign, opening balances as import adjustments. Importing the same key again changes nothing; another client on
    /// this id is 409 <c>duplicate_member</c>. The import claims the directory entry first (<see cref="IMemberDirectoryGrain.ClaimManyAsync"/>).
    /// </summary>
    Task<MembershipView> ImportAsync(MedSpa.Import.MemberImport import);

    /// <summary>404 <c>member_not_found</c> for an id never registered.</summary>
    [ReadOnly]
    Task<MemberProfile> GetProfileAsync();

    /// <summary>
    /// Whether the client may have an appointment for <paramref name="service"/>: 409 <c>membership_suspended</c> for a
    /// treatment the plan includes while suspended for non-payment; 404 <c>member_not_found</c> for no such client.
    /// </summary>
    [Orleans.Concurrency.ReadOnly]
    Task RequireBookableAsync(MedSpa.Practice.Service service);

    /// <summary>
    /// Signs the agreement for the plan's current version. With a card on file the first month is charged at once;
    /// otherwise the membership waits for its first payment.
    /// </summary>
    Task<MembershipView> EnrolAsync(EnrolmentRequest request, SignatureContext signature);

    /// <summary>The agreement the client would sign on the plan's current version today, for them to read first.</summary>
    [ReadOnly]
    Task<AgreementDraft> PreviewAgreementAsync(string planId);

    /// <summary>Records the first (or an overdue) period's payment taken at the desk; a paid period allocates credits.</summary>
    Task<MembershipView> RecordDeskPaymentAsync(DeskPayment payment);

    [ReadOnly]
    Task<MembershipView> GetMembershipAsync();

    /// <summary>
    /// Attaches a card (e.g. <c>pm_card_visa</c>) as the member's default. When a subscription payment is due, it is
    /// charged at once: the first month after enrolment, or a retry while past due or suspended.
    /// </summary>
    Task<MembershipView> SavePaymentMethodAsync(string paymentMethodId);

    /// <summary>Starts saving a card the member types in themselves: a SetupIntent for off-session use.</summary>
    Task<CardSetupView> StartCardSetupAsync();

    /// <summary>Saves the card the member confirmed on <paramref name="setupIntentId"/>; then as <see cref="SavePaymentMethodAsync"/>.</summary>
    Task<MembershipView> CompleteCardSetupAsync(string setupIntentId);

    /// <summary>Every card charge attempt: when, how much, the outcome and the decline code.</summary>
    [ReadOnly]
    Task<IReadOnlyList<ChargeAttemptView>> GetChargeAttemptsAsync();

    /// <summary>The signed agreement of the current enrolment. 404 <c>agreement_not_found</c>.</summary>
    [ReadOnly]
    Task<SignedAgreement> GetAgreementAsync();

    [ReadOnly]
    Task<CreditsView> GetCreditsAsync();

    [ReadOnly]
    Task<IReadOnlyList<LedgerEntry>> GetLedgerAsync();

    [ReadOnly]
    Task<IReadOnlyList<PaymentView>> GetPaymentsAsync();

    [ReadOnly]
    Task<IReadOnlyList<RecordedEvent>> GetEventsAsync();

    /// <summary>Redeems credit, soonest-expiring lot first. Idempotent by redemption id.</summary>
    Task<RedemptionView> RedeemAsync(RedemptionRequest request);

    /// <summary>Cancels a redemption and gives the credit back to the lots it came from.</summary>
    Task<RedemptionView> VoidRedemptionAsync(string redemptionId, string reason);

    /// <summary>Staff correction of a balance, up or down, with a reason. Idempotent by adjustment id.</summary>
    Task<CreditsView> AdjustCreditsAsync(CreditAdjustmentRequest request);

    /// <summary>Sells one of the plan's add-ons, paid at the desk. Idempotent by purchase id.</summary>
    Task<CreditsView> PurchaseAddOnAsync(AddOnPurchaseRequest request);

    /// <summary>Prices a basket exactly as <see cref="CheckoutAsync"/> would, changing nothing.</summary>
    [ReadOnly]
    Task<CheckoutQuote> PreviewCheckoutAsync(Basket basket);

    /// <summary>Redeems the credits and records the invoice of a basket. Replaying a checkout id returns the first receipt.</summary>
    Task<CheckoutReceipt> CheckoutAsync(CheckoutRequest request);

    /// <summary>
    /// Does whatever billing work is due now (a renewal, a retry, a suspension, a cancellation for non-payment), in
    /// order, and schedules the next wake-up. Calling it again, or when nothing is due, does nothing.
    /// <paramref name="asOf"/> is the instant the caller woke it for: a silo whose clock has not yet heard of it catches
    /// up first.
    /// </summary>
    Task WakeAsync(DateTimeOffset asOf);

    /// <summary>
    /// Quotes (<see cref="PlanChangeRequest.Confirm"/> false) or makes a plan change. An upgrade is charged on the card
    /// on file and applies at once only when paid; a downgrade is scheduled for the next billing date and replaces any
    /// other scheduled one. Idempotent by change id. 409 <c>same_plan</c>, <c>plan_not_sold_here</c>,
    /// <c>no_card_on_file</c>, <c>membership_past_due</c> and the like.
    /// </summary>
    Task<PlanChangeOutcome> ChangePlanAsync(PlanChangeRequest request);

    /// <summary>
    /// Tells the member of a price increase of their plan (a notice and the effective date). Telling them again of the
    /// same change records nothing. Null when the change does not concern them (another plan, or not an increase).
    /// </summary>
    Task<MemberPriceChangeView?> NotifyPriceIncreaseAsync(PriceIncreaseNotice notice);

    /// <summary>The member agrees to a price increase they were told of. Confirming twice records nothing. 404 <c>price_change_not_found</c>.</summary>
    Task<MemberPriceChangeView> ConfirmPriceIncreaseAsync(string changeId, PriceIncreaseConfirmation confirmation);

    /// <summary>Where the member stands with a price increase, or null when they were never told of it.</summary>
    [ReadOnly]
    Task<MemberPriceChangeView?> GetPriceIncreaseAsync(string changeId);

    /// <summary>
    /// Settles a charge attempt from its PaymentIntent as fetched from the processor (a webhook). Does nothing when
    /// the attempt is already resolved, is not this member's, or the intent has no answer yet; never charges.
    /// </summary>
    Task SettleChargeFromProcessorAsync(ProcessorCharge charge);

    /// <summary>Records the charge's refunds not recorded yet (each refund id once), as payments history lines.</summary>
    Task RecordRefundsAsync(ProcessorRefund[] refunds);

    /// <summary>Flags the member with the dispute and tells staff (at <paramref name="staffEmail"/>); once per dispute id.</summary>
    Task RecordDisputeAsync(ProcessorDispute dispute, string staffEmail);

    /// <summary>Removes the card on file when it is this payment method (detached at the processor).</summary>
    Task RemoveCardAsync(string paymentMethodId);

    /// <summary>The processor updated the card on file (reissued: new expiry or number); other cards are ignored.</summary>
    Task UpdateCardFromProcessorAsync(CardOnFile card);

    /// <summary>The member's disputes, newest first.</summary>
    [ReadOnly]
    Task<DisputeView[]> GetDisputesAsync();

    /// <summary>
    /// Refunds all or part of a card payment through the processor and records it. Idempotent by refund id. 409
    /// <c>not_a_card_payment</c> (cash and terminal payments are refunded at the desk), <c>refund_exceeds_payment</c>.
    /// </summary>
    Task<PaymentView[]> RefundPaymentAsync(RefundRequest request);

    /// <summary>
    /// Quotes (<see cref="CancellationRequest.Confirm"/> false, recording nothing), confirms or withdraws
    /// (<see cref="CancellationRequest.Withdraw"/>) a cancellation. 400 <c>cancellation_reason_required</c>,
    /// <c>invalid_cancellation_reason</c>, <c>cancellation_note_required</c>, <c>cancellation_option_not_allowed</c>;
    /// 409 <c>already_cancelled</c>, <c>membership_paused</c>, <c>cancellation_pending</c>, <c>no_pending_cancellation</c>.
    /// </summary>
    Task<CancellationView> CancelAsync(CancellationRequest request);

    /// <summary>Pauses an active membership within the plan's rules. 400 <c>pause_too_long</c>; 409 <c>pause_limit_reached</c>, <c>already_paused</c>.</summary>
    Task<MembershipView> PauseAsync(PauseRequest request);

    /// <summary>Resumes a paused membership today: the new anchor day, and the first period charged at once. 409 <c>not_paused</c>.</summary>
    Task<MembershipView> ResumeAsync();

    /// <summary>Sends the plan's reactivation offer to a member cancelled in the last 90 days, once per lapse. 409 <c>offer_already_sent</c>, <c>lapse_too_old</c>.</summary>
    Task<ReactivationOffered> OfferReactivationAsync();

    /// <summary>The lapse staff can still win back (ended within 90 days) and the offer sent for it; null otherwise.</summary>
    [ReadOnly]
    Task<LapseView?> GetLapseAsync();

    /// <summary>Accepts the offer: enrolled again with it applied to the first period; charged at once with a card on file.</summary>
    Task<MembershipView> ReactivateAsync(ReactivationRequest request, SignatureContext signature);

    /// <summary>
    /// Records that the notice was delivered (<c>notice_sent</c>) and stops it being dispatched again. Delivering it
    /// again records nothing. 404 <c>notice_not_found</c>.
    /// </summary>
    Task RecordNoticeSentAsync(string noticeId, string messageId, string recipient);

    /// <summary>
    /// Mails the member a one-time link to sign in to the portal, valid for 15 minutes: records a <c>magic_link</c>
    /// notice (without the link), sends it at once, and records it sent. Never retried: a failed send is logged and the
    /// member asks again. Does nothing for an id never registered, or when the member was sent too many links lately.
    /// One-way, so whoever asks learns nothing (not even from how long it takes) about whether the member exists.
    /// </summary>
    [OneWay]
    Task RequestSignInLinkAsync();

    /// <summary>The notice when it was issued to this member and is not delivered yet; otherwise null.</summary>
    [ReadOnly]
    Task<NoticeIssued?> GetUnsentNoticeAsync(string noticeId);
}
