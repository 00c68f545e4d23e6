using System.Buffers.Binary;

namespace MedSpa.Domain.Members;

/// <summary>
/// The signature a member draws on the desk's tablet, kept with the agreement as a PNG. It is checked here, before it
/// is journaled, because the agreement PDF draws it for as long as the agreement exists: a file that only claims to be
/// a PNG, or a huge one, would break every later download or bloat the member's log.
/// </summary>
public static class SignatureImage
{
    /// <summary>A drawn signature on a tablet-sized canvas is a few kilobytes; a photo is not a signature.</summary>
    public const int MaxBytes = 100 * 1024;

    public const int MaxSide = 2000;

    private static ReadOnlySpan<byte> PngMagic => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Null when there is none; the image when it is a well-formed PNG within the limits; otherwise 400 <c>invalid_signature_image</c>.</summary>
    public static byte[]? Validate(byte[]? png)
    {
        if (png is null || png.Length == 0)
        {
            return null;
        }

        if (png.Length > MaxBytes)
        {
            throw Reject.Invalid("invalid_signature_image", $"The drawn signature is larger than {MaxBytes / 1024} KB.");
        }

        if (!IsWellFormedPng(png))
        {
            throw Reject.Invalid("invalid_signature_image", $"The drawn signature must be a PNG image of at most {MaxSide}×{MaxSide} pixels.");
        }

        return png;
    }

    /// <summary>The signature, an IHDR first with sane dimensions, then chunks whose lengths add up exactly to an IEND.</summary>
    private static bool IsWellFormedPng(ReadOnlySpan<byte> png)
    {
        if (png.Length < PngMagic.Length + 25 || !png[..PngMagic.Length].SequenceEqual(PngMagic))
        {
            return false;
        }

        var offset = PngMagic.Length;
        var first = true;
        while (offset + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            var type = png.Slice(offset + 4, 4);
            if (length > (uint)(png.Length - offset - 12))
            {
                return false;
            }

            if (first)
            {
                if (!type.SequenceEqual("IHDR"u8) || length != 13)
                {
                    return false;
                }

                var width = BinaryPrimitives.ReadUInt32BigEndian(png[(offset + 8)..]);
                var height = BinaryPrimitives.ReadUInt32BigEndian(png[(offset + 12)..]);
                if (width is 0 or > MaxSide || height is 0 or > MaxSide)
                {
                    return false;
                }

                first = false;
            }

            offset += 12 + (int)length;
            if (type.SequenceEqual("IEND"u8))
            {
                return offset == png.Length;
            }
        }

        return false;
    }
}
