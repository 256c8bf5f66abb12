// RFC 4180 CSV, which PostgreSQL's `COPY … WITH (FORMAT csv)` and MySQL's `LOAD DATA … FIELDS ENCLOSED BY '"'
// ESCAPED BY ''` read back exactly.

/** A field: quoted (with `"` doubled) when it holds a comma, a quote, CR or LF; as is otherwise. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A record: fields joined by commas, ended by CRLF as RFC 4180 says. */
export function csvRecord(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}
