using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.Tokens;

namespace McpSecurity.Server.Hosting;

/// <summary>The HS256 signing key, read from SECRET_KEY only: no default, no fallback (guide S1).</summary>
public static class SecretKey
{
    public const string VariableName = "SECRET_KEY";

    public const int MinimumLength = 32;

    public const string HowToGenerate = "Generate one with: openssl rand -base64 48";

    /// <summary>The key, or an error message naming SECRET_KEY and how to generate one.</summary>
    public static bool TryCreate(string? value, out SymmetricSecurityKey? key, out string error)
    {
        key = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = $"{VariableName} is not set. The HTTP transport signs and validates tokens with it and has no default. {HowToGenerate}, then export {VariableName}=<that value>.";
            return false;
        }

        if (value.Length < MinimumLength)
        {
            error = $"{VariableName} is too short ({value.Length} characters; at least {MinimumLength} are required). {HowToGenerate}.";
            return false;
        }

        key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(value));
        error = string.Empty;
        return true;
    }

    /// <summary>Like <see cref="TryCreate"/>, for callers that stop on a bad key.</summary>
    public static SymmetricSecurityKey Create(string? value)
        => TryCreate(value, out var key, out var error) ? key! : throw new InvalidOperationException(error);

    /// <summary>Whether command-line arguments carry the key in any form the configuration binder reads (--SECRET_KEY=, SECRET_KEY=, /SECRET_KEY, any case).</summary>
    public static bool IsInArguments(string[] args)
        => new ConfigurationBuilder().AddCommandLine(args).Build()[VariableName] is not null;

    public static string OnCommandLineError
        => $"{VariableName} was given on the command line, where any user sees it in ps. Give it only as an environment variable: export {VariableName}=<key>. {HowToGenerate}.";

    /// <summary>
    /// Reads SECRET_KEY once and removes it from this process's environment, so nothing the server starts
    /// or serves can read it back: not .NET's copy (Environment), not libc's environ array (unsetenv), and
    /// not the block the kernel shows as /proc/&lt;pid&gt;/environ, which neither of those touches.
    /// </summary>
    public static string? TakeFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(VariableName);
        Environment.SetEnvironmentVariable(VariableName, null);
        LinuxProcess.UnsetEnvironmentVariable(VariableName);
        EraseFromInitialEnvironment(VariableName);
        return value;
    }

    /// <summary>
    /// Zeroes "NAME=value" in the environment block the process started with: /proc/&lt;pid&gt;/environ reads
    /// that memory (env_start..env_end in /proc/self/stat) directly, so only overwriting it hides the key.
    /// </summary>
    internal static bool EraseFromInitialEnvironment(string name)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var stat = File.ReadAllText("/proc/self/stat");
        // Fields after the command name (which may hold spaces) start at field 3; env_start and env_end are 50 and 51.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (fields.Length < 49
            || !long.TryParse(fields[47], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(fields[48], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
            || start <= 0 || end <= start)
        {
            return false;
        }

        var block = new byte[end - start];
        Marshal.Copy(new IntPtr(start), block, 0, block.Length);
        var prefix = Encoding.ASCII.GetBytes(name + "=");
        var erased = false;
        for (var entry = 0; entry < block.Length;)
        {
            var terminator = Array.IndexOf(block, (byte)0, entry);
            var next = terminator < 0 ? block.Length : terminator + 1;
            if (block.AsSpan(entry, next - entry).StartsWith(prefix))
            {
                var length = (terminator < 0 ? block.Length : terminator) - entry;
                Marshal.Copy(new byte[length], 0, new IntPtr(start + entry), length);
                erased = true;
            }

            entry = next;
        }

        return erased;
    }
}
