namespace HostedPbx.Switch.LoadTool;

/// <summary>The figures of a run, printed as they come and again as one block at the end.</summary>
internal sealed class LoadReport
{
    private readonly List<(string Name, string Value)> _lines = [];

    public void Add(string name, string value)
    {
        _lines.Add((name, value));
        Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {name}: {value}");
    }

    public void Print(TextWriter output, string header)
    {
        output.WriteLine();
        output.WriteLine(header);
        foreach (var (name, value) in _lines)
        {
            output.WriteLine($"- {name}: {value}");
        }
    }
}
