using System.Text;
using System.Text.RegularExpressions;
using MedSpa.Clock;
using MedSpa.Members;
using MedSpa.Notifications;
using MedSpa.Portal;
using MedSpa.Tests;
using Npgsql;

namespace MedSpa.Grains.Tests;

/// <summary>
/// Sign-in links on PostgreSQL: single use, expiry on the practice clock, kept across a restart, and the token itself
/// stored nowhere (the link grain and the member's log only ever see its hash or nothing).
/// </summary>
public sealed partial class SignInLinkGrainTests : WithFreshDatabase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_link_signs_its_member_in_once_and_an_unknown_one_never()
    {
        await using var silo = await TestSilo.StartAsync(Database);
        var link = silo.Grains.GetGrain<ISignInLinkGrain>(ISignInLinkGrain.KeyOf(NewToken()));

        var expires = await link.IssueAsync("mem_a");
        var now = (await silo.Grains.GetGrain<IClockGrain>(IClockGrain.Key).GetAsync()).Now;
        Assert.InRange(expires - now, TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(15));
        Assert.Equal(expires, await link.IssueAsync("mem_a"));
        var stolen = await Assert.ThrowsAsync<CommandRejectedException>(() => link.IssueAsync("mem_b"));
        Assert.Equal("sign_in_link_exists", stolen.Code);

        Assert.True(await link.IsRedeemableAsync());
        Assert.True(await link.IsRedeemableAsync());
        Assert.Equal("mem_a", await link.RedeemAsync());
        Assert.False(await link.IsRedeemableAsync());
        Assert.Null(await link.RedeemAsync());

        var unknown = silo.Grains.GetGrain<ISignInLinkGrain>(ISignInLinkGrain.KeyOf(NewToken()));
        Assert.False(await unknown.IsRedeemableAsync());
        Assert.Null(await unknown.RedeemAsync());
    }

    [Fact]
    public async Task Two_clicks_racing_on_one_link_sign_in_once()
    {
        await using var silo = await TestSilo.StartAsync(Database);
        var link = silo.Grains.GetGrain<ISignInLinkGrain>(ISignInLinkGrain.KeyOf(NewToken()));
        await link.IssueAsync("mem_a");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => link.RedeemAsync()));

        Assert.Equal("mem_a", Assert.Single(results, r => r is not null));
    }

    [Fact]
    public async Task A_link_expires_fifteen_minutes_after_it_was_issued_on_the_practice_clock()
    {
        await using var silo = await TestSilo.StartAsync(Database);
        var link = silo.Grains.GetGrain<ISignInLinkGrain>(ISignInLinkGrain.KeyOf(NewToken()));
        var expires = await link.IssueAsync("mem_a");

        await AdvanceAsync(silo, expires.AddMinutes(-1));
        Assert.True(await link.IsRedeemableAsync());

        await AdvanceAsync(silo, expires.AddSeconds(1));
        Assert.False(await link.IsRedeemableAsync());
        Assert.Null(await link.RedeemAsync());
    }

    [Fact]
    public async Task Links_outlive_a_restart_and_a_used_one_stays_used()
    {
        var used = NewToken();
        var fresh = NewToken();
        await using (var silo = await TestSilo.StartAsync(Database))
        {
            await silo.Grains.GetGrain<ISignInLinkGrain>(ISignInLinkGrain.KeyOf(used)).IssueAsync("mem_a");
            Assert.Equal("mem_a", await silo.Grains.GetGrain<ISignInLinkGrain>(ISignInLinkGrain.KeyOf(used)).RedeemAsync());
            await silo.Grains.GetGrain<ISignInLinkGrain>(ISignInLinkGrain.KeyOf(fresh)).IssueAsync("mem_b");
        }

        await using (var silo = await TestSilo.StartAsync(Database))
        {
            Assert.Null(await silo.Grains.GetGrain<ISignInLinkGrain>(ISignInLinkGrain.KeyOf(used)).RedeemAsync());
            Assert.Equal("mem_b", await silo.Grains.GetGrain<ISignInLinkGrain>(ISignInLinkGrain.KeyOf(fresh)).RedeemAsync());
        }
    }

    [Fact]
    public async Task A_requested_link_is_mailed_recorded_sent_and_its_token_is_stored_nowhere()
    {
        string token;
        string memberId;
        string email;
        await using (var silo = await TestSilo.StartAsync(Database))
        {
            var clinic = await Clinic.OpenAsync(silo);
            memberId = await clinic.RegisterAsync("Lina", "Link");
            var member = silo.Grains.GetGrain<IMemberGrain>(memberId);
            email = (await member.GetProfileAsync()).Email;

            await member.RequestSignInLinkAsync();

            // No SMTP server in this silo: the mail is in the development mailbox, which is how a developer signs in.
            var mail = await Eventually.Until(
                async () => (await silo.Grains.GetGrain<IMailboxGrain>(IMailboxGrain.Key).ListAsync(100)).FirstOrDefault(m => m.To == email),
                m => m is not null, Patience, "the sign-in mail in the mailbox");
            Assert.Equal(NoticeKind.MagicLink, mail!.Kind);
            token = TokenIn(mail.Text);
            Assert.Contains($"token={token}", mail.Html, StringComparison.Ordinal);

            var events = await Eventually.Until(member.GetEventsAsync, e => e.Any(x => x.Type == "notice_sent"), Patience, "notice_sent");
            var issued = Assert.Single(events, e => e.Type == "notice_issued");
            Assert.Contains("\"magic_link\"", issued.PayloadJson, StringComparison.Ordinal);
            Assert.Contains(mail.MessageId, Assert.Single(events, e => e.Type == "notice_sent").PayloadJson, StringComparison.Ordinal);
            Assert.DoesNotContain(events, e => e.PayloadJson.Contains(token, StringComparison.Ordinal));

            // The control: what the mailbox does store is found by the same search, so the search can see into state.
            Assert.True(await RowsContainingAsync(email) > 0);
            Assert.Equal(0, await RowsContainingAsync(token));
        }

        await using (var silo = await TestSilo.StartAsync(Database))
        {
            // The mailbox kept the sign-in mail in memory only; the link itself was stored (as a hash) and still works.
            Assert.DoesNotContain(await silo.Grains.GetGrain<IMailboxGrain>(IMailboxGrain.Key).ListAsync(100), m => m.To == email);
            Assert.Equal(memberId, await silo.Grains.GetGrain<ISignInLinkGrain>(ISignInLinkGrain.KeyOf(token)).RedeemAsync());
            Assert.Equal(0, await RowsContainingAsync(token));
        }
    }

    [Fact]
    public async Task A_failed_send_is_recorded_as_asked_for_never_as_sent_and_is_not_retried()
    {
        await using var silo = await TestSilo.StartAsync(Database, new Dictionary<string, string?>
        {
            // Nothing listens there: every send fails at once.
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:Smtp:Timeout"] = "00:00:02",
            ["Notifications:FirstRetry"] = "00:00:01",
            ["Notifications:LongestRetry"] = "00:00:01",
        });
        var clinic = await Clinic.OpenAsync(silo);
        var member = silo.Grains.GetGrain<IMemberGrain>(await clinic.RegisterAsync("Failo", "Link"));

        await member.RequestSignInLinkAsync();
        await Eventually.Until(member.GetEventsAsync, e => e.Any(x => x.Type == "notice_issued"), Patience, "notice_issued");
        // Long enough for the outbox's 1 s retries to have tried several times, had it taken the notice.
        await Task.Delay(TimeSpan.FromSeconds(4));

        var events = await member.GetEventsAsync();
        Assert.DoesNotContain(events, e => e.Type == "notice_sent");
        Assert.Null(await member.GetUnsentNoticeAsync("sign-in:1"));
    }

    private static async Task AdvanceAsync(TestSilo silo, DateTimeOffset to)
    {
        await silo.Grains.GetGrain<IClockGrain>(IClockGrain.Key).AdvanceToAsync(to);
        var clock = silo.Services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        await Eventually.Until(() => Task.FromResult(clock.GetUtcNow()), now => now >= to, Patience, "the silo's clock to move");
    }

    /// <summary>Rows anywhere in the database whose text (bytea as hex) holds <paramref name="value"/>.</summary>
    private async Task<long> RowsContainingAsync(string value)
    {
        var hex = Convert.ToHexStringLower(Encoding.UTF8.GetBytes(value));
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        long rows = 0;
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table} t WHERE strpos(t::text, $1) > 0 OR strpos(t::text, $2) > 0", connection);
            count.Parameters.Add(new NpgsqlParameter { Value = value });
            count.Parameters.Add(new NpgsqlParameter { Value = hex });
            rows += (long)(await count.ExecuteScalarAsync())!;
        }

        return rows;
    }

    private static string NewToken() => System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static string TokenIn(string text)
    {
        var match = LinkToken().Match(text);
        Assert.True(match.Success, $"a sign-in link in: {text}");
        return match.Groups["token"].Value;
    }

    [GeneratedRegex(@"/sign-in\?token=(?<token>[A-Za-z0-9_-]{43})")]
    private static partial Regex LinkToken();
}
