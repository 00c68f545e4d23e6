using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;
using static MedSpa.Domain.Tests.Members.LifecycleExamples;

namespace MedSpa.Domain.Tests.Members;

/// <summary>
/// A card works to the end of its expiry month; at 09:00 (New York) on the 1st of the month before, the member is asked
/// to update it, once per card.
/// </summary>
public sealed class MemberCardExpiringTests
{
    private static readonly CardOnFile December2027 = new("pm_1", "visa", "4242", 12, 2027);

    [Theory]
    [InlineData(12, 2026, "2026-11-01T14:00:00Z")] // 1 November 2026 is the day New York falls back: 09:00 is already EST.
    [InlineData(1, 2027, "2026-12-01T14:00:00Z")]
    [InlineData(4, 2027, "2027-03-01T14:00:00Z")]
    [InlineData(5, 2027, "2027-04-01T13:00:00Z")]
    public void The_notice_is_due_at_nine_local_on_the_first_of_the_month_before_the_card_expires(int expMonth, int expYear, string due)
    {
        // Enrolled on 20 October 2026, so no card in the examples has expired yet.
        var enrolledAt = new DateTimeOffset(2026, 10, 20, 15, 0, 0, TimeSpan.Zero);
        var member = MemberPlanChangeTests.Active(at: enrolledAt);
        member = Fold(member, member.SaveCard("cus_1", December2027 with { ExpMonth = expMonth, ExpYear = expYear }, enrolledAt));
        var dueAt = DateTimeOffset.Parse(due, System.Globalization.CultureInfo.InvariantCulture);
        var expires = new DateOnly(expYear, expMonth, 1).AddMonths(1);
        var billing = member.Billing!;

        Assert.Equal(new NoticeWindow(dueAt, Local(expires.Year, expires.Month, 1, 0)), billing.CardExpiring);
        Assert.DoesNotContain(DueWork.At(billing, dueAt.AddMinutes(-1), Policy).Items, i => i is DueItem.CardExpiringNotice);
        Assert.Contains(new DueItem.CardExpiringNotice(dueAt), DueWork.At(billing, dueAt, Policy).Items);
        Assert.Empty(member.IssueCardExpiringNotice(dueAt.AddMinutes(-1)));
        Assert.Equal(NoticeKind.CardExpiring, Assert.IsType<NoticeIssued>(Assert.Single(member.IssueCardExpiringNotice(dueAt))).Kind);
    }

    [Fact]
    public void The_notice_names_the_card_and_the_month_and_is_issued_once_per_card()
    {
        var member = WithCard(Active(), December2027, EnrolledAt);
        var dueAt = Local(2027, 11, 1, 9);

        var notice = Assert.IsType<NoticeIssued>(Assert.Single(member.IssueCardExpiringNotice(dueAt)));
        Assert.Equal((NoticeKind.CardExpiring, "card-expiring:pm_1:2027-12", "ava@example.com", dueAt), (notice.Kind, notice.NoticeId, notice.Email, notice.OccurredAt));
        Assert.Equal(
            "Your Visa card ending in 4242 expires at the end of December 2027. Please update your card before then so your membership payments carry on without interruption.",
            notice.Summary);

        member = Fold(member, [notice]);
        Assert.Null(member.Billing!.CardExpiring);
        Assert.Empty(member.IssueCardExpiringNotice(dueAt.AddDays(3)));
        Assert.DoesNotContain(DueWork.At(member.Billing!, dueAt.AddDays(3), Policy).Items, i => i is DueItem.CardExpiringNotice);
    }

    [Fact]
    public void A_replaced_card_or_a_reissued_one_is_told_in_its_own_time()
    {
        var member = WithCard(Active(), December2027, EnrolledAt);
        member = Fold(member, member.IssueCardExpiringNotice(Local(2027, 11, 1, 9)));

        var replaced = WithCard(member, new CardOnFile("pm_2", "mastercard", "4444", 11, 2029), Local(2027, 11, 5));
        Assert.Equal(Local(2029, 10, 1, 9), replaced.Billing!.CardExpiring!.From);
        Assert.Equal("card-expiring:pm_2:2029-11", Assert.IsType<NoticeIssued>(Assert.Single(replaced.IssueCardExpiringNotice(Local(2029, 10, 1, 9)))).NoticeId);

        // The network reissued the same payment method with a new expiry.
        var reissued = WithCard(member, December2027 with { ExpYear = 2030 }, Local(2027, 11, 5));
        Assert.Equal(Local(2030, 11, 1, 9), reissued.Billing!.CardExpiring!.From);
    }

    [Fact]
    public void A_card_saved_inside_the_window_is_told_at_the_next_wake_and_not_once_it_has_expired()
    {
        var savedAt = Local(2027, 11, 15);
        var member = WithCard(Active(), December2027, savedAt);

        Assert.Contains(new DueItem.CardExpiringNotice(Local(2027, 11, 1, 9)), DueWork.At(member.Billing!, savedAt, Policy).Items);
        var notice = Assert.IsType<NoticeIssued>(Assert.Single(member.IssueCardExpiringNotice(savedAt.AddMinutes(1))));
        Assert.Equal(savedAt.AddMinutes(1), notice.OccurredAt);
        Assert.Contains("expires at the end of December 2027", notice.Summary, StringComparison.Ordinal);

        var expired = Local(2028, 1, 1, 0);
        Assert.DoesNotContain(DueWork.At(member.Billing!, expired, Policy).Items, i => i is DueItem.CardExpiringNotice);
        Assert.Empty(member.IssueCardExpiringNotice(expired));
    }

    [Fact]
    public void Paused_and_suspended_members_are_told_because_they_will_be_charged_again()
    {
        var april = December2027 with { ExpMonth = 5, ExpYear = 2027 };
        var paused = WithCard(Paused(Local(2027, 3, 20)), april, Local(2027, 3, 20));
        var dueAt = Local(2027, 4, 1, 9);
        Assert.Equal(MembershipStatus.Paused, paused.Status);
        Assert.Equal([new DueItem.CardExpiringNotice(dueAt)], DueWork.At(paused.Billing!, dueAt, Policy).Items);
        Assert.Single(paused.IssueCardExpiringNotice(dueAt));

        var suspended = WithCard(Suspended(), april, Renewal.AddDays(4));
        Assert.Equal(MembershipStatus.Suspended, suspended.Status);
        Assert.Contains(new DueItem.CardExpiringNotice(dueAt), DueWork.At(suspended.Billing!, Renewal.AddDays(4), Policy).Items);
        Assert.Single(suspended.IssueCardExpiringNotice(Renewal.AddDays(4)));
    }

    [Fact]
    public void Nobody_is_told_whose_membership_will_not_be_charged_on_the_card_again()
    {
        var april = December2027 with { ExpMonth = 5, ExpYear = 2027 };
        var dueAt = Local(2027, 4, 1, 9);

        Assert.Null(WithCard(PendingPayment(), april, EnrolledAt).Billing!.CardExpiring);
        Assert.Empty(WithCard(PendingPayment(), april, EnrolledAt).IssueCardExpiringNotice(dueAt));
        var cancelled = Cancelled(out var cancelledAt);
        Assert.Null(WithCard(cancelled, December2027 with { ExpYear = 2028 }, cancelledAt).Billing!.CardExpiring);

        // Cancelled inside the term, the membership ends on 10 March 2028: a card lasting to then is never needed again.
        var ending = Fold(Active(), Active().ConfirmCancellation(new CancellationRequest("relocation", Confirm: true), Local(2027, 4, 20)));
        Assert.Null(WithCard(ending, December2027 with { ExpMonth = 3, ExpYear = 2028 }, Local(2027, 4, 20)).Billing!.CardExpiring);
        Assert.Equal(Local(2027, 11, 1, 9), WithCard(ending, December2027, Local(2027, 4, 20)).Billing!.CardExpiring!.From);

        // A card with no expiry on record cannot be warned about.
        Assert.Null(WithCard(Active(), December2027 with { ExpMonth = null, ExpYear = null }, EnrolledAt).Billing!.CardExpiring);
    }

    private static Member WithCard(Member member, CardOnFile card, DateTimeOffset at) => Fold(member, member.SaveCard("cus_1", card, at));
}
