namespace MedSpa.Grains;

public static class PersistentStateExtensions
{
    /// <summary>
    /// Writes <paramref name="next"/> as the grain's state. If the write fails the grain keeps the state it had,
    /// so a refused or failed command changes nothing, in storage or in memory.
    /// </summary>
    public static async Task SaveAsync<T>(this IPersistentState<T> state, T next, CancellationToken cancellationToken = default)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            state.State = previous;
            throw;
        }
    }
}
