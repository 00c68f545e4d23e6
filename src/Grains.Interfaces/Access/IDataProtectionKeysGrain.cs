using System.Collections.Immutable;
using Orleans.Concurrency;

namespace MedSpa.Access;

/// <summary>
/// The ASP.NET Core Data Protection key ring every silo shares, so a cookie or antiforgery token one silo issues is
/// read by all. Elements are the key ring's XML as Data Protection writes it, in the order written.
/// </summary>
public interface IDataProtectionKeysGrain : IGrainWithStringKey
{
    const string Key = "practice";

    [ReadOnly]
    Task<ImmutableArray<DataProtectionKeyElement>> ListAsync();

    /// <summary>Stores an element; one already stored under <see cref="DataProtectionKeyElement.Name"/> is kept as it was.</summary>
    Task AddAsync(DataProtectionKeyElement element);
}

[GenerateSerializer, Immutable]
public sealed record DataProtectionKeyElement(
    [property: Id(0)] string Name,
    [property: Id(1)] string Xml);
