using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;

namespace McpSecurity.Analyzers.ProcessExecution;

internal enum ShellKind
{
    /// <summary>sh, bash, zsh, dash, ksh, fish, …: <c>-c</c> takes one argument, the command string.</summary>
    Posix,

    /// <summary>cmd: everything after <c>/c</c> or <c>/k</c> is the command line.</summary>
    Cmd,

    /// <summary>powershell, pwsh: everything after <c>-Command</c> is a script.</summary>
    PowerShell,

    /// <summary>python -c, node -e, perl -e, ruby -e, php -r: the argument is a program.</summary>
    Interpreter,
}

/// <summary>A shell or interpreter found in a process start, and where its command text is.</summary>
internal sealed class ShellCommand
{
    public ShellCommand(ShellKind kind, string shell, string flag, int flagIndex)
    {
        Kind = kind;
        Shell = shell;
        Flag = flag;
        FlagIndex = flagIndex;
    }

    public ShellKind Kind { get; }

    /// <summary>The executable's name as the shell knows it (<c>bash</c>, <c>cmd</c>).</summary>
    public string Shell { get; }

    public string Flag { get; }

    /// <summary>The index of the flag among the arguments; the command follows it.</summary>
    public int FlagIndex { get; }

    /// <summary>Whether the command is everything after the flag (cmd, PowerShell) rather than the next argument.</summary>
    public bool CommandIsRestOfLine => Kind is ShellKind.Cmd or ShellKind.PowerShell;

    public string Display => Shell + " " + Flag;
}

/// <summary>
/// Which executables are shells or interpreters, and which of their flags take a command. The
/// evidence is the executable: <c>-c</c> alone means nothing (<c>frpc -c frpc.ini</c> reads a
/// configuration file). Paths and extensions are ignored (<c>/bin/bash</c>, <c>C:\Windows\System32\cmd.exe</c>,
/// <c>"pwsh.exe"</c>), and <c>/usr/bin/env bash</c> and <c>busybox sh</c> are seen through.
/// </summary>
internal static class ShellCommands
{
    private static readonly ImmutableHashSet<string> PosixShells = ImmutableHashSet.Create(
        StringComparer.Ordinal, "sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "yash");

    private static readonly Regex Python = new("^(python|pypy)[0-9.]*$|^py$", RegexOptions.CultureInvariant);

    /// <summary>Shell options that take a value (<c>bash -o pipefail -c …</c>).</summary>
    private static readonly ImmutableHashSet<string> PosixOptionsWithValue = ImmutableHashSet.Create(
        StringComparer.Ordinal, "-o", "+o", "-O", "+O", "--rcfile", "--init-file");

    private static readonly ImmutableHashSet<string> PowerShellOptionsWithValue = ImmutableHashSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "executionpolicy", "ex", "ep", "windowstyle", "w", "workingdirectory", "wd", "outputformat", "o", "of",
        "inputformat", "inp", "if", "configurationname", "config", "version", "v", "psconsolefile", "settingsfile",
        "settings", "custompipename");

    private static readonly ImmutableHashSet<string> PosixBuiltins = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        ".", ":", "alias", "bg", "bind", "break", "builtin", "cd", "command", "continue", "declare", "dirs", "disown",
        "eval", "exec", "exit", "export", "fc", "fg", "getopts", "hash", "history", "jobs", "let", "local", "logout",
        "popd", "pushd", "read", "readonly", "return", "set", "shift", "shopt", "source", "suspend", "times", "trap",
        "type", "typeset", "ulimit", "umask", "unalias", "unset", "wait", "function", "if", "for", "while", "until",
        "case", "select", "time", "coproc");

    private static readonly ImmutableHashSet<string> CmdBuiltins = ImmutableHashSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "assoc", "break", "call", "cd", "chdir", "cls", "color", "copy", "date", "del", "dir", "dpath", "echo",
        "endlocal", "erase", "exit", "for", "ftype", "goto", "if", "keys", "md", "mkdir", "mklink", "move", "path",
        "pause", "popd", "prompt", "pushd", "rd", "rem", "ren", "rename", "rmdir", "set", "setlocal", "shift",
        "start", "time", "title", "type", "ver", "verify", "vol");

    /// <summary>The executable's name without directory, quotes or Windows extension, lower-cased.</summary>
    public static string Normalize(string fileName)
    {
        var name = fileName.Trim().Trim('"', '\'').Trim();
        var slash = name.LastIndexOfAny(new[] { '/', '\\' });
        if (slash >= 0)
        {
            name = name.Substring(slash + 1);
        }

        name = name.ToLowerInvariant();
        foreach (var extension in new[] { ".exe", ".com" })
        {
            if (name.EndsWith(extension, StringComparison.Ordinal))
            {
                name = name.Substring(0, name.Length - extension.Length);
            }
        }

        return name;
    }

    public static ShellKind? Classify(string normalized)
    {
        if (PosixShells.Contains(normalized))
        {
            return ShellKind.Posix;
        }

        if (normalized == "cmd")
        {
            return ShellKind.Cmd;
        }

        if (normalized is "powershell" or "pwsh")
        {
            return ShellKind.PowerShell;
        }

        if (Python.IsMatch(normalized) || normalized is "node" or "nodejs" or "bun" or "perl" or "ruby" or "php" or "lua")
        {
            return ShellKind.Interpreter;
        }

        return null;
    }

    /// <summary>Programs that run their first argument as the program: <c>env bash -c …</c>, <c>busybox sh -c …</c>.</summary>
    public static bool IsLauncher(string normalized) => normalized is "env" or "busybox";

    /// <summary>
    /// Finds the shell and its command flag in a start whose executable is <paramref name="fileName"/>
    /// and whose arguments are <paramref name="words"/>; null when it is not a shell running a command
    /// (a script file, an unknown flag, a flag given by a variable).
    /// </summary>
    public static ShellCommand? Find(string fileName, IReadOnlyList<CommandWord> words)
    {
        var name = Normalize(fileName);
        var start = 0;
        if (IsLauncher(name))
        {
            // env [-i] [-u NAME] [NAME=value]… program …
            while (start < words.Count && words[start].ConstantText is { } option
                && (option.StartsWith("-", StringComparison.Ordinal) || option.Contains('=')))
            {
                start += option is "-u" or "--unset" ? 2 : 1;
            }

            if (start >= words.Count || words[start].ConstantText is not { } program)
            {
                return null;
            }

            name = Normalize(program);
            start++;
        }

        if (Classify(name) is not { } kind)
        {
            return null;
        }

        for (var i = start; i < words.Count; i++)
        {
            if (words[i].ConstantText is not { } word)
            {
                return null;
            }

            if (IsCommandFlag(kind, name, word))
            {
                return new ShellCommand(kind, name, word, i);
            }

            if (!IsOption(kind, word))
            {
                // A script or module: its arguments are data, not a command string.
                return null;
            }

            if (TakesValue(kind, name, word))
            {
                i++;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="word"/> is run by the shell itself rather than found on PATH (no program to start instead).</summary>
    public static bool IsBuiltin(ShellKind kind, string word)
        => kind switch
        {
            ShellKind.Posix => PosixBuiltins.Contains(word) || word.Contains('='),
            ShellKind.Cmd => CmdBuiltins.Contains(word) || CmdBuiltins.Contains(Normalize(word)) && !word.Contains('.') || word.StartsWith("@", StringComparison.Ordinal),
            _ => true,
        };

    private static bool IsCommandFlag(ShellKind kind, string shell, string word)
    {
        switch (kind)
        {
            case ShellKind.Posix:
                return word == "--command"
                    || word.Length >= 2 && word[0] == '-' && word[1] != '-' && word.Skip(1).All(char.IsLetter) && word.IndexOf('c') > 0;
            case ShellKind.Cmd:
                return word.Equals("/c", StringComparison.OrdinalIgnoreCase)
                    || word.Equals("/k", StringComparison.OrdinalIgnoreCase)
                    || word.Equals("/r", StringComparison.OrdinalIgnoreCase);
            case ShellKind.PowerShell:
                var name = PowerShellOptionName(word);
                return name.Length > 0
                    && ("command".StartsWith(name, StringComparison.OrdinalIgnoreCase)
                        || "encodedcommand".StartsWith(name, StringComparison.OrdinalIgnoreCase) && !name.Equals("en", StringComparison.OrdinalIgnoreCase)
                        || name.Equals("ec", StringComparison.OrdinalIgnoreCase));
            default:
                if (Python.IsMatch(shell))
                {
                    return word == "-c" || word.Length > 2 && word[0] == '-' && word[1] != '-' && word.EndsWith("c", StringComparison.Ordinal) && word.Skip(1).All(char.IsLetter);
                }

                return shell switch
                {
                    "node" or "nodejs" or "bun" => word is "-e" or "--eval" or "-p" or "--print" or "-pe",
                    "perl" => word.Length >= 2 && word[0] == '-' && word[1] != '-' && word.Skip(1).All(char.IsLetter) && (word.EndsWith("e", StringComparison.Ordinal) || word.EndsWith("E", StringComparison.Ordinal)),
                    "ruby" => word.Length >= 2 && word[0] == '-' && word[1] != '-' && word.Skip(1).All(char.IsLetter) && word.EndsWith("e", StringComparison.Ordinal),
                    "php" => word == "-r",
                    "lua" => word == "-e",
                    _ => false,
                };
        }
    }

    private static bool IsOption(ShellKind kind, string word)
        => kind switch
        {
            ShellKind.Cmd => word.StartsWith("/", StringComparison.Ordinal),
            ShellKind.PowerShell => PowerShellOptionName(word).Length > 0
                && !"file".StartsWith(PowerShellOptionName(word), StringComparison.OrdinalIgnoreCase),
            ShellKind.Interpreter => word.StartsWith("-", StringComparison.Ordinal) && word != "-" && word != "-m" && word != "--",
            _ => (word.StartsWith("-", StringComparison.Ordinal) || word.StartsWith("+", StringComparison.Ordinal)) && word != "-" && word != "--",
        };

    private static bool TakesValue(ShellKind kind, string shell, string word)
        => kind switch
        {
            ShellKind.Posix => PosixOptionsWithValue.Contains(word),
            ShellKind.PowerShell => PowerShellOptionsWithValue.Contains(PowerShellOptionName(word)),
            ShellKind.Interpreter when Python.IsMatch(shell) => word is "-X" or "-W",
            ShellKind.Interpreter => shell switch
            {
                "node" or "nodejs" or "bun" => word is "-r" or "--require",
                "ruby" => word is "-I" or "-r",
                _ => false,
            },
            _ => false,
        };

    private static string PowerShellOptionName(string word)
        => word.Length > 1 && (word[0] == '-' || word[0] == '/') ? word.TrimStart('-', '/') : string.Empty;
}
