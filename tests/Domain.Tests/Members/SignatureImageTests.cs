using System.Buffers.Binary;
using MedSpa.Domain.Members;

namespace MedSpa.Domain.Tests.Members;

public sealed class SignatureImageTests
{
    /// <summary>A real 1×1 PNG: signature, IHDR, IDAT, IEND.</summary>
    private static readonly byte[] OnePixel = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    [Fact]
    public void A_well_formed_png_is_kept_as_it_is_and_no_drawing_is_no_image()
    {
        Assert.Same(OnePixel, SignatureImage.Validate(OnePixel));
        Assert.Null(SignatureImage.Validate(null));
        Assert.Null(SignatureImage.Validate([]));
    }

    public static TheoryData<string, byte[]> NotASignature => new()
    {
        { "not a png", "GIF89a not a png at all, but long enough to look"u8.ToArray() },
        { "cut off before IEND", OnePixel[..^12] },
        { "bytes after IEND", [.. OnePixel, 0, 0, 0, 0] },
        { "a chunk longer than the file", WithUInt32(OnePixel, 33, 0x7FFF_FFFF) },
        { "wider than a signature", WithUInt32(OnePixel, 16, SignatureImage.MaxSide + 1) },
        { "no height", WithUInt32(OnePixel, 20, 0) },
        { "larger than the limit", [.. OnePixel, .. new byte[SignatureImage.MaxBytes]] },
    };

    [Theory]
    [MemberData(nameof(NotASignature))]
    public void Anything_else_is_refused_with_a_stable_code(string why, byte[] image)
    {
        var refusal = Assert.Throws<CommandRejectedException>(() => SignatureImage.Validate(image));
        Assert.True(refusal.Code == "invalid_signature_image", why);
        Assert.Equal(RejectionKind.Invalid, refusal.Kind);
    }

    private static byte[] WithUInt32(byte[] png, int offset, uint value)
    {
        var copy = png.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(offset), value);
        return copy;
    }
}
