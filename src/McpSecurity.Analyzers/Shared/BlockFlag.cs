using System.Threading;

namespace McpSecurity.Analyzers.Shared;

/// <summary>
/// A flag an operation-block start action creates and its operation actions set (they may run
/// concurrently), so the block-end action does the expensive analysis only for blocks where something
/// the rule reads was seen.
/// </summary>
internal sealed class BlockFlag
{
    private int value;

    public bool IsSet => Volatile.Read(ref value) != 0;

    public void Set() => Interlocked.Exchange(ref value, 1);
}
