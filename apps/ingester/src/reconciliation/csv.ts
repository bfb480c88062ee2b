/**
 * RFC 4180 CSV: records end with CRLF; a field is quoted when it contains a comma, a double quote, CR or LF, and a
 * double quote inside a quoted field is doubled. A field starting with = + - @ (or tab / CR) is left as it is:
 * every value we export is validated data (ids, codes, dates, decimals), and prefixing would change the numbers.
 */
export const CRLF = '\r\n';

export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRecord(values: readonly (string | number | null | undefined)[]): string {
  return values.map(csvField).join(',') + CRLF;
}

/** Parses RFC 4180 text (CRLF or LF line ends) into records; for tests and tools. Throws on malformed quoting. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        if (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') throw new Error(`CSV: text after a closing quote at ${i}`);
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (c === '"') {
      throw new Error(`CSV: quote inside an unquoted field at ${i}`);
    } else if (c === ',') {
      record.push(field);
      field = '';
      fieldStarted = false;
      i++;
    } else if (c === '\r' || c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      fieldStarted = false;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) throw new Error('CSV: unterminated quoted field');
  if (fieldStarted || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}
