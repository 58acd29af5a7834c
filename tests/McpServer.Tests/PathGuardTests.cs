using McpSecurity.Server.Hosting;

namespace McpSecurity.Server.Tests;

/// <summary>scan_path's containment: relative paths only, no '..' escape, no symlink escape.</summary>
public sealed class PathGuardTests : IDisposable
{
    private readonly TempFolder root = new();
    private readonly TempFolder outside = new();

    public void Dispose()
    {
        root.Dispose();
        outside.Dispose();
    }

    [Theory]
    [InlineData("src/A.cs")]
    [InlineData("./src/../src/A.cs")]
    [InlineData("src")]
    public void Resolves_paths_inside_the_root(string relative)
    {
        root.Write("src/A.cs", "class A {}");

        Assert.True(PathGuard.TryResolve(root.Path, relative, out var resolved));
        Assert.StartsWith(PathGuard.RealPath(root.Path), resolved, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("src/../../x")]
    [InlineData("/etc/passwd")]
    [InlineData("")]
    [InlineData("a\0b")]
    public void Refuses_absolute_and_escaping_paths(string relative)
        => Assert.False(PathGuard.TryResolve(root.Path, relative, out _));

    [Fact]
    public void Refuses_a_symlink_that_leads_out_of_the_root()
    {
        outside.Write("secret.cs", "class Secret {}");
        Directory.CreateSymbolicLink(Path.Combine(root.Path, "link"), outside.Path);

        Assert.False(PathGuard.TryResolve(root.Path, "link/secret.cs", out _));
        Assert.False(PathGuard.TryResolve(root.Path, "link", out _));
    }

    [Fact]
    public void Refuses_a_sibling_folder_sharing_the_root_prefix()
    {
        var sibling = root.Path + "-evil";
        Directory.CreateDirectory(sibling);
        try
        {
            Assert.False(PathGuard.TryResolve(root.Path, "../" + Path.GetFileName(sibling), out _));
        }
        finally
        {
            Directory.Delete(sibling);
        }
    }
}
