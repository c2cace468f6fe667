namespace HostedPbx.Web.Features.Extensions;

/// <summary>
/// Reads an extension list: one extension per line, <c>number,display name[,voicemail e-mail]</c>, an optional header
/// line, fields optionally in double quotes (RFC 4180, with "" for a quote). Row numbers count lines from 1.
/// </summary>
public static class CsvRows
{
    public const int MaxRows = 5000;

    public sealed record Row(int Line, ExtensionFields Fields, string? Problem);

    public static List<Row> Read(string text)
    {
        var rows = new List<Row>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length && rows.Count <= MaxRows; i++)
        {
            var line = lines[i];
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var cells = Split(line);
            if (rows.Count == 0 && cells[0].Trim().Equals("number", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var fields = new ExtensionFields
            {
                Number = cells[0].Trim(),
                DisplayName = cells.Count > 1 ? cells[1].Trim() : "",
                VoicemailEmail = cells.Count > 2 && cells[2].Trim().Length > 0 ? cells[2].Trim() : null,
            };
            var problem = cells.Count > 3 ? "Too many fields: give number, display name and (optionally) voicemail e-mail." : fields.Problem();
            rows.Add(new Row(i + 1, fields, problem));
        }

        return rows;
    }

    private static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
