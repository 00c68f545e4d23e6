using MedSpa.Import;
using MedSpa.Members;

namespace MedSpa.Grains.Members;

public sealed partial class MemberGrain
{
    public async Task<MembershipView> ImportAsync(MemberImport import)
    {
        ArgumentNullException.ThrowIfNull(import);
        if (Member.AlreadyImported(import.ImportKey))
        {
            // The same member again (a second confirmation, a retry after a crash) records nothing; it may still need scheduling.
            await ScheduleAsync();
            return Member.Membership(Id);
        }

        var current = await CurrentVersionAsync(import.PlanId);
        var events = Member.Import(Id, import, current, (await Practice.GetCatalogueAsync()).Locations, Now);
        // Listed before the import is recorded, as at enrolment: a failure in between leaves an entry the roster tolerates.
        await RosterOf(current.PlanId).JoinAsync(Id);
        await RecordAsync(events);
        await ScheduleAsync();
        return Member.Membership(Id);
    }
}
