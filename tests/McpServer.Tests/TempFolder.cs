namespace McpSecurity.Server.Tests;

internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mcpsec-tests-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string relative, string content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process still holding a file: the OS cleans temp later.
        }
    }
}

internal static class Samples
{
    public const string Vulnerable = """
        using System;

        public class Tools
        {
            public int Parse(string text)
            {
                try { return int.Parse(text); }
                catch { return 0; }
            }

            public int Other(string text)
            {
                try { return int.Parse(text); }
                catch (Exception) { return -1; }
            }
        }
        """;

    public const string Clean = """
        public class Tools
        {
            public int Parse(string text) => int.Parse(text);
        }
        """;
}
