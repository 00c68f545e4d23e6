using System.Text;

namespace MedSpa;

/// <summary>
/// FNV-1a over a text's UTF-8 bytes: the same number in every process and release, unlike
/// <see cref="string.GetHashCode()"/>, so it can say which shard a stored entry belongs to.
/// </summary>
public static class StableHash
{
    public static uint Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}
