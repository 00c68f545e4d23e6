using MedSpa.Import;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Import;

/// <summary>
/// <c>/import</c>: a practice moving in. Upload the spreadsheet, read what each row would become, then confirm; the same
/// calls as <c>/api/v1/import</c>.
/// </summary>
[Authorize(Policy = StaffAccess.Admin)]
[RequestSizeLimit(ImportEndpoints.MaxFileBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = ImportEndpoints.MaxFileBytes)]
public sealed class ImportModel(IGrainFactory grains) : PageModel
{
    public ImportReport? Report { get; private set; }

    public string? Problem { get; private set; }

    [BindProperty]
    public IFormFile? Upload { get; set; }

    [BindProperty]
    public string? ImportId { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostCheckAsync()
    {
        try
        {
            var (csv, _) = Upload is null
                ? throw new CommandRejectedException(RejectionKind.Invalid, "invalid_csv", "Choose the CSV file to check.")
                : await ImportEndpoints.ReadCsvAsync(Request);
            Report = await grains.GetGrain<IImportDeskGrain>(IImportDeskGrain.Key).DryRunAsync(csv, Path.GetFileName(Upload.FileName));
        }
        catch (CommandRejectedException e)
        {
            Problem = e.Message;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync()
    {
        try
        {
            Report = await ImportEndpoints.Import(grains, ImportId ?? "").ConfirmAsync();
        }
        catch (CommandRejectedException e)
        {
            Problem = e.Message;
        }

        return Page();
    }
}
