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

    /// <summary>A cancellation was confirmed: when it takes effect, what is still owed, what happens to the credits.</summary>
    CancellationConfirmed,

    /// <summary>A pending cancellation was withdrawn: the membership carries on.</summary>
    CancellationWithdrawn,

    /// <summary>The membership has ended on the member's request.</summary>
    MembershipEnded,

    /// <summary>The membership is paused until a date; billing stops and the credits are kept.</summary>
    MembershipPaused,

    /// <summary>The membership resumed; the resume date is the new billing date.</summary>
    MembershipResumed,

    /// <summary>The minimum term ends in 30 days; the membership then continues month to month.</summary>
    TermRenewal,

    /// <summary>A lapsed member is offered to come back on better terms.</summary>
    ReactivationOffer,

    /// <summary>Dated credits run out soon: which, how many and when.</summary>
    CreditsExpiring,

    /// <summary>The card on file expires before the next billing date; links to updating it.</summary>
    CardExpiring,

    /// <summary>A one-time sign-in link to the member portal.</summary>
    MagicLink,

    /// <summary>The first payment was never made: the enrolment has lapsed without starting.</summary>
    EnrolmentLapsed,
}
