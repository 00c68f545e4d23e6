namespace MedSpa.Billing;

/// <summary>What became of a card charge, as billing and the payment history see it.</summary>
public enum ChargeResult
{
    Succeeded,

    /// <summary>Declined for a reason that may pass later (insufficient funds, generic decline): retry on schedule.</summary>
    SoftDecline,

    /// <summary>Declined for good (lost, stolen, fraudulent, revoked, do_not_try_again): no automatic retry.</summary>
    HardDecline,

    /// <summary>The bank wants the cardholder to authenticate (3-D Secure): ask the member in the portal.</summary>
    AuthenticationRequired,

    /// <summary>The processor throttled the call; nothing was charged.</summary>
    RateLimited,

    /// <summary>No answer or a server error: the charge may or may not have happened. Resolve by repeating the same key or looking it up.</summary>
    Unknown,
}
