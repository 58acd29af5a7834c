using System;
using System.IO;
using McpSecurity.Analyzers;
using McpSecurity.Presets;

// dotnet McpSecurity.Presets.dll <folder>: one globalconfig per analysis mode, from the catalogue.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: McpSecurity.Presets <output folder>");
    return 2;
}

Directory.CreateDirectory(args[0]);
foreach (var mode in Enum.GetValues<AnalysisMode>())
{
    var path = Path.Combine(args[0], AnalysisModePresets.FileName(mode));
    File.WriteAllText(path, AnalysisModePresets.Render(mode, RuleCatalog.All));
    Console.WriteLine(path);
}

return 0;
