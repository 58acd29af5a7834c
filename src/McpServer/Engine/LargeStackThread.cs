using System;
using System.Threading;
using System.Threading.Tasks;

namespace McpSecurity.Server.Engine;

/// <summary>
/// Runs analysis on a thread of its own with a large stack. Roslyn's binder and the analyzers recurse
/// once per nesting level; a stack overflow cannot be caught and takes the whole server down, so the
/// depth limit in <see cref="SyntaxLimits"/> is backed by a stack hundreds of times deeper than what
/// that limit needs (a thread-pool thread has 1.5 MB). The stack is reserved, not committed: an
/// ordinary scan touches a few hundred KB of it.
/// </summary>
public static class LargeStackThread
{
    public const int StackBytes = 256 * 1024 * 1024;

    /// <summary>
    /// Runs <paramref name="work"/> to completion on the new thread. The work runs synchronously there
    /// (analysis is not concurrent, see <see cref="CodeEngine"/>), so everything that binds stays on the
    /// large stack instead of hopping to thread-pool threads.
    /// </summary>
    public static Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(
            () =>
            {
                try
                {
                    completion.SetResult(work().GetAwaiter().GetResult());
                }
                catch (OperationCanceledException ex)
                {
                    completion.SetCanceled(ex.CancellationToken);
                }
                catch (Exception ex)
                {
                    completion.SetException(ex);
                }
            },
            StackBytes)
        {
            IsBackground = true,
            Name = "McpSecurity analysis",
        };
        thread.Start();
        return completion.Task;
    }
}
