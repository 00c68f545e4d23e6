using System.Xml.Linq;
using MedSpa.Access;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace MedSpa.Web.Access;

/// <summary>
/// The Data Protection key ring in <see cref="IDataProtectionKeysGrain"/>, so every silo shares it. A grain rather
/// than a table of our own: it is stored like all other practice state (ADO.NET in PostgreSQL, or the process in
/// memory mode) with no schema to migrate, and Data Protection reads the ring rarely (it caches it, and refreshes
/// when it meets a key it does not know, such as one another silo just created).
/// </summary>
internal sealed class GrainXmlRepository(IGrainFactory grains) : IXmlRepository
{
    private IDataProtectionKeysGrain Keys => grains.GetGrain<IDataProtectionKeysGrain>(IDataProtectionKeysGrain.Key);

    // Data Protection's repository contract is synchronous; it is called on a key ring refresh, not per request.
    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. Keys.ListAsync().GetAwaiter().GetResult().Select(e => XElement.Parse(e.Xml))];

    public void StoreElement(XElement element, string friendlyName) =>
        Keys.AddAsync(new DataProtectionKeyElement(friendlyName, element.ToString(SaveOptions.DisableFormatting))).GetAwaiter().GetResult();
}
