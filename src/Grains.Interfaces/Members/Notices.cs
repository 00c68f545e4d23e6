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
}
