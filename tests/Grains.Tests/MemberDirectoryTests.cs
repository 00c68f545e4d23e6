using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Json;
using MedSpa.Grains;
using MedSpa.Grains.Members;
using MedSpa.Members;
using MedSpa.Tests;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace MedSpa.Grains.Tests;

/// <summary>The member directory sharded by email hash, on PostgreSQL: it must answer as the single directory did.</summary>
public sealed class MemberDirectoryTests : WithFreshDatabase
{
    [Fact]
    public async Task One_email_in_any_letter_case_belongs_to_one_client()
    {
        await using var silo = await TestSilo.StartAsync(Database);
        var clinic = await Clinic.OpenAsync(silo);
        var admin = silo.AdminClient();

        var first = await RegisterAsync(admin, clinic, "Mixed.Case@Example.com");
        var again = await RegisterResponseAsync(admin, clinic, "  mixed.case@EXAMPLE.COM ");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("email_in_use", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(first, (await Directory(silo).FindByEmailAsync("MIXED.case@example.COM"))?.Id);
    }

    [Fact]
    public async Task A_claim_whose_registration_never_completed_does_not_lock_the_email_out()
    {
        await using var silo = await TestSilo.StartAsync(Database);
        var clinic = await Clinic.OpenAsync(silo);
        await Directory(silo).ClaimAsync(new MemberSummary("mem_never_registered", "Ghost Claim", "stale@example.com", null, clinic.LocationId));

        var id = await RegisterAsync(silo.AdminClient(), clinic, "stale@example.com");

        Assert.Equal(id, (await Directory(silo).FindByEmailAsync("stale@example.com"))?.Id);
        Assert.Empty(await Directory(silo).SearchAsync("Ghost Claim", 10));
    }

    [Fact]
    public async Task A_search_across_shards_answers_as_one_sorted_list_would()
    {
        await using var silo = await TestSilo.StartAsync(Database);
        var everyone = People(300, "sorted");
        Assert.Empty(await Directory(silo).ClaimManyAsync(everyone));
        Assert.True(everyone.Select(m => IMemberDirectoryShardGrain.ShardOf(m.Email)).Distinct().Count() > 30);

        foreach (var (query, limit) in new[] { ((string?)null, 1), (null, 7), (null, 200), ("an", 13), ("AN", 200), ("zzz", 5) })
        {
            var expected = everyone
                .Where(m => query is null || m.FullName.Contains(query, StringComparison.OrdinalIgnoreCase) || m.Email.Contains(query, StringComparison.OrdinalIgnoreCase))
                .OrderBy(m => m.FullName, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.Id, StringComparer.Ordinal)
                .Take(limit)
                .Select(m => m.Id);
            Assert.Equal(expected, (await Directory(silo).SearchAsync(query, limit)).Select(m => m.Id));
        }
    }

    [Fact]
    public async Task Claiming_many_refuses_only_emails_a_registered_client_holds_and_all_are_found_across_shards()
    {
        await using var silo = await TestSilo.StartAsync(Database);
        var clinic = await Clinic.OpenAsync(silo);
        var holder = await RegisterAsync(silo.AdminClient(), clinic, "held@example.com");
        await Directory(silo).ClaimAsync(new MemberSummary("mem_stale", "Stale Claim", "stale.many@example.com", null, clinic.LocationId));
        var batch = People(120, "many")
            .Append(new MemberSummary("mem_taken", "Taken Email", "held@example.com", null, clinic.LocationId))
            .Append(new MemberSummary("mem_freed", "Freed Email", "stale.many@example.com", null, clinic.LocationId))
            .ToList();

        var refused = await Directory(silo).ClaimManyAsync(batch);

        Assert.Equal(["mem_taken"], refused);
        var found = await Directory(silo).FindManyByEmailAsync([.. batch.Select(m => m.Email), "nobody@example.com"]);
        Assert.Equal(batch.Count, found.Count);
        Assert.Equal(holder, found["held@example.com"]);
        Assert.Equal("mem_freed", found["stale.many@example.com"]);
        Assert.All(batch.Where(m => m.Id is not "mem_taken"), m => Assert.Equal(m.Id, found[m.Email]));
    }

    [Fact]
    public async Task The_directory_stored_before_sharding_is_handed_to_the_shards_and_then_cleared()
    {
        await using var silo = await TestSilo.StartAsync(Database);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Practice);
        var legacyId = GrainId.Create("memberdirectory", IMemberDirectoryGrain.Key);
        var legacy = People(150, "legacy");
        await storage.WriteStateAsync("member-directory", legacyId,
            new GrainState<MemberDirectoryState>(new MemberDirectoryState { Members = legacy.ToImmutableDictionary(m => m.Id) }));

        Assert.Equal(
            legacy.OrderBy(m => m.FullName, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.Id, StringComparer.Ordinal).Select(m => m.Id),
            (await Directory(silo).SearchAsync(null, 200)).Select(m => m.Id));
        var found = await Directory(silo).FindManyByEmailAsync([.. legacy.Select(m => m.Email)]);
        Assert.All(legacy, m => Assert.Equal(m.Id, found[m.Email]));

        var left = new GrainState<MemberDirectoryState>();
        await storage.ReadStateAsync("member-directory", legacyId, left);
        Assert.Empty(left.State?.Members ?? []);
    }

    private static IMemberDirectoryGrain Directory(TestSilo silo) => silo.Grains.GetGrain<IMemberDirectoryGrain>(IMemberDirectoryGrain.Key);

    /// <summary>Entries with names that repeat (so the id breaks ties) and vary in case, spread over the shards.</summary>
    private static List<MemberSummary> People(int count, string batch)
    {
        string[] names = ["ana Diaz", "Ana Diaz", "Bea Nunez", "carla Jansen", "Dan Ohara", "eve Stone", "Zoe Adams"];
        return [.. Enumerable.Range(0, count).Select(i =>
            new MemberSummary($"mem_{batch}_{i:D4}", names[i * 7 % names.Length], $"{batch}.{i}@example.com", null, "loc_main"))];
    }

    private static async Task<string> RegisterAsync(HttpClient admin, Clinic clinic, string email)
    {
        var response = await RegisterResponseAsync(admin, clinic, email);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
    }

    private static Task<HttpResponseMessage> RegisterResponseAsync(HttpClient admin, Clinic clinic, string email) =>
        admin.PostAsJsonAsync("/api/v1/members", new { firstName = "Rae", lastName = "Lund", email, phone = (string?)null, homeLocationId = clinic.LocationId });
}
