using System.Globalization;
using MedSpa.Domain.Billing;
using MedSpa.Members;

namespace MedSpa.Domain.Tests.Billing;

public sealed class DunningPolicyTests
{
    private static readonly DateTimeOffset FirstFailure = Instant("2026-03-15T13:00:00Z");

    [Theory]
    [InlineData("lost_card", null)]
    [InlineData("stolen_card", null)]
    [InlineData("pickup_card", null)]
    [InlineData("fraudulent", null)]
    [InlineData("incorrect_number", null)]
    [InlineData("revocation_of_authorization", null)]
    [InlineData("revocation_of_all_authorizations", null)]
    [InlineData("do_not_try_again", null)]
    [InlineData("insufficient_funds", "do_not_try_again")]
    [InlineData("generic_decline", "DO_NOT_TRY_AGAIN")]
    [InlineData(" Lost_Card ", null)]
    public void Lost_stolen_fraudulent_revoked_and_do_not_try_again_are_hard_declines(string code, string? advice)
    {
        Assert.Equal(DeclineKind.Hard, DeclineClassifier.Classify(code, advice));
    }

    [Theory]
    [InlineData("insufficient_funds")]
    [InlineData("generic_decline")]
    [InlineData("card_velocity_exceeded")]
    [InlineData("processing_error")]
    [InlineData("a_code_stripe_invents_next_year")]
    [InlineData(null)]
    public void Everything_else_is_soft_and_retried(string? code)
    {
        Assert.Equal(DeclineKind.Soft, DeclineClassifier.Classify(code));
    }

    [Fact]
    public void Authentication_required_asks_the_member_unless_the_bank_also_said_never_again()
    {
        Assert.Equal(DeclineKind.AuthenticationRequired, DeclineClassifier.Classify("authentication_required"));
        Assert.Equal(DeclineKind.Hard, DeclineClassifier.Classify("authentication_required", "do_not_try_again"));
    }

    [Fact]
    public void Soft_declines_retry_at_24_and_72_hours_after_the_first_failure_then_suspend()
    {
        var policy = DunningPolicy.Default;

        Assert.Equal(new DunningStep.Retry(2, Instant("2026-03-16T13:00:00Z")), policy.AfterFailure(FirstFailure, 1, DeclineKind.Soft));
        Assert.Equal(new DunningStep.Retry(3, Instant("2026-03-18T13:00:00Z")), policy.AfterFailure(FirstFailure, 2, DeclineKind.Soft));
        Assert.Equal(new DunningStep.Suspend(), policy.AfterFailure(FirstFailure, 3, DeclineKind.Soft));
    }

    [Fact]
    public void Retries_are_timed_from_the_first_failure_so_a_late_retry_does_not_push_the_schedule_back()
    {
        // Whenever attempt 2 actually ran, attempt 3 stays at +72 h.
        Assert.Equal(new DunningStep.Retry(3, FirstFailure.AddHours(72)), DunningPolicy.Default.AfterFailure(FirstFailure, 2, DeclineKind.Soft));
    }

    [Fact]
    public void Hard_declines_and_authentication_are_not_retried_but_get_the_same_window_before_suspension()
    {
        var suspendAt = Instant("2026-03-18T13:00:00Z");

        Assert.Equal(new DunningStep.WaitForMember(DeclineKind.Hard, suspendAt), DunningPolicy.Default.AfterFailure(FirstFailure, 1, DeclineKind.Hard));
        Assert.Equal(
            new DunningStep.WaitForMember(DeclineKind.AuthenticationRequired, suspendAt),
            DunningPolicy.Default.AfterFailure(FirstFailure, 1, DeclineKind.AuthenticationRequired));
    }

    [Fact]
    public void A_practice_can_set_its_own_schedule()
    {
        var policy = DunningPolicy.Create([TimeSpan.FromHours(12), TimeSpan.FromDays(3), TimeSpan.FromDays(7)], TimeSpan.FromDays(14));

        Assert.Equal(new DunningStep.Retry(4, FirstFailure.AddDays(7)), policy.AfterFailure(FirstFailure, 3, DeclineKind.Soft));
        Assert.Equal(new DunningStep.Suspend(), policy.AfterFailure(FirstFailure, 4, DeclineKind.Soft));
        Assert.Equal(FirstFailure.AddDays(14), policy.CancellationAfterSuspension(FirstFailure).At);
    }

    [Fact]
    public void With_no_retries_a_failure_suspends_at_once()
    {
        var policy = DunningPolicy.Create([], TimeSpan.FromDays(30));

        Assert.Equal(new DunningStep.Suspend(), policy.AfterFailure(FirstFailure, 1, DeclineKind.Soft));
        Assert.Equal(new DunningStep.WaitForMember(DeclineKind.Hard, FirstFailure), policy.AfterFailure(FirstFailure, 1, DeclineKind.Hard));
    }

    [Theory]
    [InlineData(0, 24)]
    [InlineData(-1, 24)]
    [InlineData(72, 24)]
    [InlineData(24, 24)]
    public void A_schedule_must_be_positive_and_increasing(int firstHours, int secondHours)
    {
        var error = Assert.Throws<CommandRejectedException>(
            () => DunningPolicy.Create([TimeSpan.FromHours(firstHours), TimeSpan.FromHours(secondHours)], TimeSpan.FromDays(30)));

        Assert.Equal("invalid_retry_schedule", error.Code);
    }

    [Fact]
    public void A_suspension_must_last_some_time()
    {
        var error = Assert.Throws<CommandRejectedException>(() => DunningPolicy.Create([TimeSpan.FromHours(24)], TimeSpan.Zero));

        Assert.Equal("invalid_suspension_period", error.Code);
    }

    [Fact]
    public void Suspended_for_30_days_the_membership_is_cancelled_for_non_payment()
    {
        var suspendedAt = Instant("2026-03-18T13:00:00Z");

        Assert.Equal(
            new NonPaymentCancellation(Instant("2026-04-17T13:00:00Z"), "payment_failed"),
            DunningPolicy.Default.CancellationAfterSuspension(suspendedAt));
    }

    [Theory]
    [InlineData(MembershipStatus.PastDue, true)]
    [InlineData(MembershipStatus.Suspended, true)]
    [InlineData(MembershipStatus.Active, false)]
    [InlineData(MembershipStatus.PendingPayment, false)]
    [InlineData(MembershipStatus.Paused, false)]
    [InlineData(MembershipStatus.Cancelled, false)]
    [InlineData(MembershipStatus.None, false)]
    public void A_card_update_retries_at_once_only_while_money_is_owed_on_a_failed_charge(MembershipStatus status, bool retriesNow)
    {
        Assert.Equal(retriesNow, DunningPolicy.RetriesAtOnceOnCardUpdate(status));
    }

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
