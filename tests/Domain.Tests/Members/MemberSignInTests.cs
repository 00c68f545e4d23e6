using MedSpa.Domain.Members;
using MedSpa.Members;

namespace MedSpa.Domain.Tests.Members;

/// <summary>A sign-in link is recorded as a notice like any other, but without its link, and the outbox never resends it.</summary>
public sealed class MemberSignInTests
{
    private static readonly DateTimeOffset At = new(2027, 3, 1, 14, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Validity = TimeSpan.FromMinutes(15);

    private static Member Registered() => Member.Unregistered
        .Apply(new ClientRegistered(new MemberProfile("mem_1", "Ava", "Stone", "ava@example.com", null, "loc_1", At, Registrar.Staff)) { OccurredAt = At });

    [Fact]
    public void Asking_for_a_link_records_a_magic_link_notice_to_the_members_address_that_says_how_long_it_works()
    {
        var notice = Assert.IsType<NoticeIssued>(Assert.Single(Registered().RequestSignInLink(Validity, At)));

        Assert.Equal(("sign-in:1", NoticeKind.MagicLink, "ava@example.com", At), (notice.NoticeId, notice.Kind, notice.Email, notice.OccurredAt));
        Assert.Contains("15 minutes", notice.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("http", notice.Summary, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("token", notice.Summary, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_outbox_never_owes_a_sign_in_link_even_one_never_recorded_sent()
    {
        var member = Registered();
        var link = member.RequestSignInLink(Validity, At).Single();
        member = member.Apply(link)
            .Apply(new NoticeIssued("ntc_1", NoticeKind.PaymentFailed, "ava@example.com", "Declined.") { OccurredAt = At });

        Assert.Equal("ntc_1", Assert.Single(member.UnsentNotices).NoticeId);
        Assert.Null(member.UnsentNotice("sign-in:1"));
        Assert.False(Member.IsOutboxNotice((NoticeIssued)link));

        // Its delivery is still recorded on the member, once.
        var sent = Assert.IsType<NoticeSent>(Assert.Single(member.RecordNoticeSent("sign-in:1", "sign-in-1.mem_1@medspa", "ava@example.com", At)));
        Assert.Empty(member.Apply(sent).RecordNoticeSent("sign-in:1", "sign-in-1.mem_1@medspa", "ava@example.com", At));
    }

    [Fact]
    public void Each_link_is_a_notice_of_its_own()
    {
        var member = Registered();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var notice = (NoticeIssued)member.RequestSignInLink(Validity, At.AddMinutes(i)).Single();
            ids.Add(notice.NoticeId);
            member = member.Apply(notice);
        }

        Assert.Equal(["sign-in:1", "sign-in:2", "sign-in:3"], ids);
    }

    [Fact]
    public void No_more_than_five_links_in_fifteen_minutes_go_to_one_member_whoever_asks()
    {
        var member = Registered();
        for (var i = 0; i < Member.SignInLinksPerWindow; i++)
        {
            member = member.Apply(member.RequestSignInLink(Validity, At.AddMinutes(i)).Single());
        }

        Assert.Empty(member.RequestSignInLink(Validity, At.AddMinutes(5)));
        // Fifteen minutes after the first, one slot is free again.
        Assert.Single(member.RequestSignInLink(Validity, At.AddMinutes(15)));
    }

    [Fact]
    public void A_client_never_registered_cannot_ask()
    {
        var refused = Assert.Throws<CommandRejectedException>(() => Member.Unregistered.RequestSignInLink(Validity, At));
        Assert.Equal("member_not_found", refused.Code);
    }
}
