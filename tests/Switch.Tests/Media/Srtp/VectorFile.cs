namespace HostedPbx.Switch.Tests.Media.Srtp;

/// <summary>Reads TestData/srtp vector files: cases of "name: value" lines separated by blank lines, # comments.</summary>
internal static class VectorFile
{
    public static TheoryData<string> Sources(string fileName)
    {
        var data = new TheoryData<string>();
        foreach (var vector in Read(fileName))
        {
            data.Add(vector["source"]);
        }

        return data;
    }

    public static Dictionary<string, string> Find(string fileName, string source) =>
        Read(fileName).Single(vector => vector["source"] == source);

    public static byte[] Hex(this Dictionary<string, string> vector, string name) => Convert.FromHexString(vector[name]);

    public static IReadOnlyList<Dictionary<string, string>> Read(string fileName)
    {
        var vectors = new List<Dictionary<string, string>>();
        var current = new Dictionary<string, string>();
        foreach (var rawLine in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "srtp", fileName)))
        {
            var line = rawLine.Trim();
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.Length == 0)
            {
                Flush();
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            current[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        Flush();
        return vectors;

        void Flush()
        {
            if (current.Count > 0)
            {
                vectors.Add(current);
                current = [];
            }
        }
    }
}
