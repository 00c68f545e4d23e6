namespace MedSpa;

/// <summary>
/// Prefixed, time-ordered identifiers (<c>loc_…</c>, <c>svc_…</c>, <c>mem_…</c>): a UUIDv7 in Crockford base32,
/// like a ULID. The prefix says what the id names, and keeps keys from being all-hex, which Orleans would parse
/// as an integer key.
/// </summary>
public static class Identifiers
{
    private const string Crockford = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string New(string prefix, DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.CreateVersion7(now).TryWriteBytes(bytes, bigEndian: true, out _);
        var value = new UInt128(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[..8]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));

        Span<char> text = stackalloc char[26];
        for (var i = text.Length - 1; i >= 0; i--)
        {
            text[i] = Crockford[(int)(value & 31)];
            value >>= 5;
        }

        return $"{prefix}_{text}";
    }
}
