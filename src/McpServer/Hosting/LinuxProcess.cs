using System;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

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

    /// <summary>
    /// Opens a file for reading without blocking and keeps it only if it is seekable: open() on a FIFO
    /// blocks until a writer comes, so a FIFO put in the workspace would hang a scan_path forever, and a
    /// check of the path before the open could be raced. Null when the open fails or the file is a FIFO,
    /// socket or terminal (lseek fails on them). Linux only.
    /// </summary>
    public static SafeFileHandle? OpenSeekableForRead(string path)
    {
        const int ReadOnlyNonBlockingCloseOnExec = 0x800 | 0x80000;
        var descriptor = NativeMethods.open(path, ReadOnlyNonBlockingCloseOnExec);
        if (descriptor < 0)
        {
            return null;
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        if (NativeMethods.lseek(descriptor, 0, 1) < 0)
        {
            handle.Dispose();
            return null;
        }

        return handle;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int open(string path, int flags);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern long lseek(int descriptor, long offset, int whence);

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
