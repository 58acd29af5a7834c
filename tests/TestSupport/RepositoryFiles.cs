namespace McpSecurity.TestSupport;

/// <summary>Files of the repository the tests run from: rule pages, the README, release tracking.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The folder holding McpSecurity.sln, found by walking up from the test assembly.</summary>
    public static string RootDirectory => Root.Value;

    public static string PathOf(params string[] parts) => Path.Combine([RootDirectory, .. parts]);

    /// <summary>The file's text with line endings normalised to <c>\n</c>.</summary>
    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts)).ReplaceLineEndings("\n");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "McpSecurity.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("McpSecurity.sln not found above " + AppContext.BaseDirectory);
    }
}
