using MedSpa.Members;

namespace MedSpa.Domain.Members;

/// <summary>
/// Sign-in links to the member portal. The member's log records that a link was asked for and sent, like any notice,
/// but never the link: its token is a credential, so it lives only in the mail (see <c>MemberGrain.SignIn</c>).
/// </summary>
public sealed partial record Member
{
    /// <summary>
    /// How many links one member may be sent in <see cref="SignInLinkWindow"/>, whoever asks and through whichever
    /// node. The web's per-address limit is per node; this one holds for the whole cluster, so nobody can fill a
    /// member's inbox by spreading requests over silos.
    /// </summary>
    public const int SignInLinksPerWindow = 5;

    public static readonly TimeSpan SignInLinkWindow = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The notice of a sign-in link to the member's address, valid for <paramref name="validity"/>; nothing when the
    /// member was sent <see cref="SignInLinksPerWindow"/> links in the last <see cref="SignInLinkWindow"/>. The refusal
    /// is silent: whoever asked must not learn whether the address belongs to anyone. Its summary says what was sent
    /// and for how long, and holds no token, because the summary is stored and shown to staff.
    /// </summary>
    public IReadOnlyList<MemberEvent> RequestSignInLink(TimeSpan validity, DateTimeOffset now)
    {
        var profile = RequireProfile();
        var links = Notices.Where(n => n.Kind == NoticeKind.MagicLink).ToList();
        if (links.Count(n => n.OccurredAt > now - SignInLinkWindow) >= SignInLinksPerWindow)
        {
            return [];
        }

        var minutes = (int)Math.Round(validity.TotalMinutes);
        var summary = $"A sign-in link to your membership was requested. It signs you in once, within {minutes} minutes. If it wasn't you, ignore this email: nothing changes without the link.";
        return [new NoticeIssued($"sign-in:{links.Count + 1}", NoticeKind.MagicLink, profile.Email, summary) { OccurredAt = now }];
    }
}
