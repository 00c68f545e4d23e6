namespace MedSpa.Members;

/// <summary>Every kind of message a member or the practice's staff receives about a membership.</summary>
public enum NoticeKind
{
    /// <summary>A charge failed; says when it is retried and links to updating the card.</summary>
    PaymentFailed,

    /// <summary>The card needs the member to authenticate the payment in the portal.</summary>
    AuthenticationRequired,

    /// <summary>The last retry failed: the membership is suspended.</summary>
    FinalNoticeSuspended,

    /// <summary>Suspended too long: the membership is cancelled for non-payment.</summary>
    CancelledForNonPayment,

    /// <summary>A receipt for a subscription payment.</summary>
    PaymentReceipt,

    /// <summary>A plan's price goes up; links to confirming it.</summary>
    PriceIncrease,

    /// <summary>To staff: a member disputed a charge with their bank.</summary>
    DisputeOpened,

    /// <summary>Dated credits run out soon: which, how many and when.</summary>
    CreditsExpiring,

    /// <summary>The card on file expires before the next billing date; links to updating it.</summary>
    CardExpiring,

    /// <summary>The membership renews soon (end of a minimum term, an annual renewal).</summary>
    RenewalNotice,

    /// <summary>The membership is paused: no billing, credits frozen, until the date given.</summary>
    PauseStarted,

    /// <summary>The pause is over: billing and credits resume.</summary>
    PauseEnded,

    /// <summary>The member cancelled: the last day, any fee, what happens to their credits.</summary>
    CancellationConfirmed,

    /// <summary>An offer to come back to a cancelled membership.</summary>
    ReactivationOffer,

    /// <summary>A one-time sign-in link to the member portal.</summary>
    MagicLink,
}
