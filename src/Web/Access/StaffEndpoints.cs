using System.Collections.Immutable;
using System.Security.Cryptography;
using MedSpa.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Caching.Memory;

namespace MedSpa.Web.Access;

/// <summary><c>/api/v1/staff</c> (accounts and their passwords) and <c>/api/v1/api-keys</c>: administrators only.</summary>
public static class StaffEndpoints
{
    public static RouteGroupBuilder MapStaffAccess(this RouteGroupBuilder api)
    {
        var staff = api.MapGroup("/staff").WithTags("Staff").RequireAuthorization(StaffAccess.Admin);
        staff.MapGet("", (IGrainFactory grains) => Directory(grains).ListAsync())
            .WithSummary("Every staff account: email, name, role, locations (none: all) and whether it may sign in.");
        staff.MapPost("", async (NewStaffRequest request, IGrainFactory grains, StaffSignIn signIn) =>
        {
            var account = await Directory(grains).AddAsync(new NewStaffAccount(
                request.Email ?? "", request.DisplayName ?? "", RequireRole(request.Role), Locations(request.LocationIds), signIn.Hash(request.Password)));
            return Results.Created($"/api/v1/staff/{account.Id}", account);
        }).WithSummary("Adds an account with its first password (at least 12 characters).");
        staff.MapPut("/{id}", async (string id, StaffUpdateRequest request, IGrainFactory grains, StaffAccounts accounts) =>
        {
            var account = await Directory(grains).UpdateAsync(id, new StaffAccountUpdate(
                request.DisplayName ?? "", RequireRole(request.Role), Locations(request.LocationIds),
                request.Active ?? throw new CommandRejectedException(RejectionKind.Invalid, "invalid_active", "Say whether the account is active (true or false).")));
            accounts.Forget(id);
            return account;
        }).WithSummary("Changes name, role, locations and whether the account may sign in; disabling ends its sessions.");
        staff.MapPost("/{id}/password", async (string id, PasswordRequest request, IGrainFactory grains, StaffSignIn signIn, StaffAccounts accounts) =>
        {
            await Directory(grains).SetPasswordHashAsync(id, signIn.Hash(request.Password));
            accounts.Forget(id);
            return Results.NoContent();
        }).WithSummary("Sets a new password (at least 12 characters); the account's sessions end.");

        var keys = api.MapGroup("/api-keys").WithTags("Staff").RequireAuthorization(StaffAccess.Admin);
        keys.MapGet("", (IGrainFactory grains) => ApiKeys(grains).ListAsync())
            .WithSummary("Every API key's id, name, role and creation; never the key.");
        keys.MapPost("", async (NewApiKeyRequest request, IGrainFactory grains) =>
        {
            var (secret, hash) = NewSecret();
            var holder = await ApiKeys(grains).AddAsync(new ApiKeyRegistration(hash, request.Name ?? "", RequireRole(request.Role)));
            return Results.Created($"/api/v1/api-keys/{holder.Id}", new NewApiKey(holder.Id, holder.Name, holder.Role, holder.CreatedAt, secret));
        }).WithSummary("Creates a key for another system; the response is the only place the key itself ever appears.");
        keys.MapDelete("/{id}", async (string id, IGrainFactory grains, IMemoryCache cache) =>
        {
            ApiKeyAuthentication.Forget(cache, await ApiKeys(grains).RevokeAsync(id));
            return Results.NoContent();
        }).WithSummary("Revokes a key: refused at once by this node, and within a minute by every other.");
        return api;
    }

    /// <summary>A new API key: <c>msk_</c> and 32 random bytes, and the hash it is known by.</summary>
    internal static (string Secret, string Hash) NewSecret()
    {
        var secret = $"msk_{System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        return (secret, ApiKeyAuthentication.Hash(secret));
    }

    internal static StaffRole RequireRole(StaffRole? role) =>
        role ?? throw new CommandRejectedException(RejectionKind.Invalid, "invalid_role", "The role is admin, front_desk or provider.");

    private static ImmutableArray<string> Locations(string[]? ids) => ids is null ? [] : [.. ids];

    private static IStaffDirectoryGrain Directory(IGrainFactory grains) => grains.GetGrain<IStaffDirectoryGrain>(IStaffDirectoryGrain.Key);

    private static IApiKeyGrain ApiKeys(IGrainFactory grains) => grains.GetGrain<IApiKeyGrain>(IApiKeyGrain.Key);

    public sealed record NewStaffRequest(string? Email, string? DisplayName, StaffRole? Role, string[]? LocationIds, string? Password);

    public sealed record StaffUpdateRequest(string? DisplayName, StaffRole? Role, string[]? LocationIds, bool? Active);

    public sealed record PasswordRequest(string? Password);

    public sealed record NewApiKeyRequest(string? Name, StaffRole? Role);

    public sealed record NewApiKey(string Id, string Name, StaffRole Role, DateTimeOffset CreatedAt, string Secret);
}
