using MedSpa.Domain.Members;
using MedSpa.Members;

namespace MedSpa.Domain.Tests.Members;

/// <summary>The outbox in the member's log: a notice is owed until it is recorded sent, and it is recorded sent once.</summary>
public sealed class MemberNoticeTests
{
    private static readonly DateTimeOffset At = new(2027, 3, 1, 14, 0, 0, TimeSpan.Zero);

    private static Member WithNotice() => Member.Unregistered
        .Apply(new ClientRegistered(new MemberProfile("mem_1", "Ava", "Stone", "ava@example.com", null, "loc_1", At, Registrar.Staff)) { OccurredAt = At })
        .Apply(new NoticeIssued("ntc_1", NoticeKind.PaymentFailed, "ava@example.com", "Declined.") { OccurredAt = At });

    [Fact]
    public void A_notice_is_unsent_until_recorded_sent_and_a_second_delivery_records_nothing()
    {
        var member = WithNotice();
        Assert.Equal("ntc_1", Assert.Single(member.UnsentNotices).NoticeId);

        var sent = Assert.IsType<NoticeSent>(Assert.Single(member.RecordNoticeSent("ntc_1", "ntc_1.mem_1@medspa", "ava@example.com", At.AddMinutes(1))));
        Assert.Equal(("ntc_1", "ntc_1.mem_1@medspa", "ava@example.com", At.AddMinutes(1)), (sent.NoticeId, sent.MessageId, sent.To, sent.OccurredAt));

        member = member.Apply(sent);
        Assert.Empty(member.UnsentNotices);
        Assert.Null(member.UnsentNotice("ntc_1"));
        Assert.Empty(member.RecordNoticeSent("ntc_1", "ntc_1.mem_1@medspa", "ava@example.com", At.AddMinutes(2)));
    }

    [Fact]
    public void A_notice_never_issued_cannot_be_recorded_sent()
    {
        var refused = Assert.Throws<CommandRejectedException>(() => WithNotice().RecordNoticeSent("ntc_other", "x@medspa", "ava@example.com", At));
        Assert.Equal("notice_not_found", refused.Code);
    }
}
