using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MedSpa.Silo.Hosting;
using MedSpa.Tests;
using Microsoft.Extensions.Configuration;

namespace MedSpa.Web.Tests;

/// <summary>The test clinic served at one address and reached at another: <c>Web:PublicUrl</c> says which.</summary>
public sealed class PublicUrlClinicFixture : SiloFixture
{
    public const string PublicUrl = "https://spa.example.test/glow";

    public Clinic Clinic { get; private set; } = null!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Web:PublicUrl"] = PublicUrl };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Clinic = await Clinic.OpenAsync(Silo);
    }
}

/// <summary>
/// Every link the product mails (sign in, update your card, confirm a price increase) starts with the address it is
/// reached at: where it actually listens when nothing is configured, <c>Web:PublicUrl</c> when it is; never a fixed port.
/// </summary>
public sealed partial class MailLinkTests(ClinicFixture listening, PublicUrlClinicFixture configured)
    : IClassFixture<ClinicFixture>, IClassFixture<PublicUrlClinicFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Without_the_setting_every_link_in_mail_starts_where_the_app_listens()
    {
        var site = listening.Silo.BaseAddress;
        Assert.NotEqual(5080, site.Port);

        var links = await MailedLinksAsync(listening.Silo, listening.Clinic);

        Assert.All(links, link => Assert.StartsWith($"{site.AbsoluteUri}portal/", link, StringComparison.Ordinal));
        // And they lead somewhere: the sign-in link opens its page on this very app.
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var signIn = await browser.GetAsync(links.First(l => l.Contains("/portal/sign-in?token=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task With_the_setting_every_link_in_mail_starts_with_it()
    {
        var links = await MailedLinksAsync(configured.Silo, configured.Clinic);

        Assert.All(links, link => Assert.StartsWith($"{PublicUrlClinicFixture.PublicUrl}/portal/", link, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5191", "http://127.0.0.1:5191/")]
    [InlineData("http://0.0.0.0:8080", "http://localhost:8080/")]
    [InlineData("http://[::]:8080", "http://localhost:8080/")]
    [InlineData("http://+:8080", "http://localhost:8080/")]
    [InlineData("http://*:8080", "http://localhost:8080/")]
    [InlineData("http://127.0.0.1:5191;https://127.0.0.1:5443", "https://127.0.0.1:5443/")]
    [InlineData("net.tcp://127.0.0.1:1", null)]
    public void Unset_the_address_is_where_the_server_listens_a_wildcard_named_localhost_https_first(string listening, string? expected) =>
        Assert.Equal(expected, ServerPublicAddress.FromListenAddresses(listening.Split(';'))?.AbsoluteUri);

    [Theory]
    [InlineData("glow.example")]
    [InlineData("ftp://glow.example")]
    [InlineData("https://glow.example/?x=1")]
    [InlineData("https://user:secret@glow.example")]
    public void A_setting_that_is_no_site_address_stops_the_start(string setting)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Web:PublicUrl"] = setting }).Build();
        Assert.Throws<InvalidOperationException>(() => ServerPublicAddress.Configured(configuration));
    }

    /// <summary>
    /// Has the app mail a sign-in link, a failed payment's "update your card" and a price increase's "review and
    /// confirm", and returns every link in every mail in its mailbox, text and HTML alike.
    /// </summary>
    private static async Task<List<string>> MailedLinksAsync(TestSilo silo, Clinic clinic)
    {
        using var admin = silo.AdminClient();
        using var anonymous = silo.AnonymousClient();
        // The renewal moves the clock on a month: first, so the sign-in link is still fresh to open afterwards.
        var declined = await Notices.FailedRenewalAsync(admin, clinic, "Cary", "Card");
        var member = await clinic.ActiveMemberAsync("Lina", "Links");
        (await admin.PostAsJsonAsync($"/api/v1/plans/{clinic.PremiumPlanId}/price-changes",
            new { newPrice = Clinic.Usd(Clinic.PremiumPrice + 2_000), noticeDays = 30, changeId = $"pchg_{Guid.NewGuid():N}" })).EnsureSuccessStatusCode();
        var email = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{member}")).GetProperty("email").GetString()!;
        (await anonymous.PostAsJsonAsync("/api/v1/portal/sign-in-link", new { email })).EnsureSuccessStatusCode();

        var mail = await Eventually.Until(
            async () => (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/mailbox"))!,
            all => all.Any(m => Is(m, member, "magic_link")) && all.Any(m => Is(m, member, "price_increase")) && all.Any(m => Is(m, declined, "payment_failed")),
            Patience, "the sign-in, price-increase and failed-payment mails");
        var links = mail.SelectMany(m => Links(m.GetProperty("text").GetString()!, m.GetProperty("html").GetString()!)).ToList();
        Assert.Contains(links, l => l.Contains("/sign-in?token=", StringComparison.Ordinal));
        Assert.Contains(links, l => l.EndsWith($"/members/{declined}/card", StringComparison.Ordinal));
        Assert.Contains(links, l => l.Contains($"/members/{member}/price-changes/pchg_", StringComparison.Ordinal));
        return links;
    }

    private static bool Is(JsonElement mail, string memberId, string kind) =>
        mail.GetProperty("memberId").GetString() == memberId && mail.GetProperty("kind").GetString() == kind;

    private static IEnumerable<string> Links(string text, string html) =>
        TextLink().Matches(text).Select(m => m.Value)
            .Concat(HtmlLink().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups["href"].Value)));

    [GeneratedRegex(@"\b\w+://[^\s""<>]+")]
    private static partial Regex TextLink();

    [GeneratedRegex(@"href=""(?<href>[^""]*)""")]
    private static partial Regex HtmlLink();
}
