using MedSpa.Grains.Notifications;
using MedSpa.Members;
using MedSpa.Notifications;
using MedSpa.Tests;

namespace MedSpa.Grains.Tests;

/// <summary>The development mailbox on PostgreSQL: deposits that arrive together share writes, and every acknowledged one is kept.</summary>
public sealed class MailboxGrainTests : WithFreshDatabase
{
    [Fact]
    public async Task Messages_deposited_at_once_are_written_together_and_every_acknowledged_one_outlives_a_restart()
    {
        var sentAt = new DateTimeOffset(2031, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var messages = Enumerable.Range(0, MailboxGrain.Capacity)
            .Select(i => new MailboxMessage($"<m{i:D3}@medspa.test>", "desk@medspa.test", $"client{i}@example.com", $"Receipt {i}", "Thanks",
                "<p>Thanks</p>", sentAt.AddSeconds(i), $"mem_mail{i:D3}", $"ntc_{i:D3}", NoticeKind.PaymentReceipt))
            .ToList();
        await using (var silo = await TestSilo.StartAsync(Database))
        {
            var mailbox = silo.Grains.GetGrain<IMailboxGrain>(IMailboxGrain.Key);
            await Task.WhenAll(messages.Select(mailbox.DepositAsync));
        }

        var writes = await Database.ScalarAsync<int>("SELECT version FROM orleansstorage WHERE graintypestring = 'mailbox'");
        Assert.InRange(writes, 1, messages.Count / 2);

        await using var restarted = await TestSilo.StartAsync(Database);
        var kept = await restarted.Grains.GetGrain<IMailboxGrain>(IMailboxGrain.Key).ListAsync(MailboxGrain.Capacity);
        Assert.Equal(messages.AsEnumerable().Reverse().Select(m => m.MessageId), kept.Select(m => m.MessageId));
    }
}
