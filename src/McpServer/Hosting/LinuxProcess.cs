using System;
using System.Runtime.InteropServices;

namespace McpSecurity.Server.Hosting;

/// <summary>
/// The few libc calls .NET does not expose: killing a whole process group, dropping a variable from
/// libc's environment, and making this process non-dumpable. Each is a no-op off Linux.
/// </summary>
internal static class LinuxProcess
{
    private const int SignalKill = 9;
    private const int PrSetDumpable = 4;

    /// <summary>SIGKILL to every process in the group; false when none is left (or not on Linux).</summary>
    public static bool KillProcessGroup(int groupId)
        => OperatingSystem.IsLinux() && groupId > 1 && NativeMethods.kill(-groupId, SignalKill) == 0;

    /// <summary>Removes a variable from libc's environ array (Environment.SetEnvironmentVariable only edits .NET's copy).</summary>
    public static void UnsetEnvironmentVariable(string name)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = NativeMethods.unsetenv(name);
        }
    }

    /// <summary>
    /// Non-dumpable: /proc/&lt;pid&gt;/environ, mem and maps of this process become readable only with
    /// CAP_SYS_PTRACE, so a program it starts as the same (non-root) user cannot read them.
    /// </summary>
    public static bool MakeNonDumpable()
        => OperatingSystem.IsLinux() && NativeMethods.prctl(PrSetDumpable, 0, 0, 0, 0) == 0;

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int kill(int pid, int signal);

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int unsetenv(string name);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
    }
}
