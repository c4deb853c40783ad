import { type ContactValues, dayText, parseDay } from './contact-fields.js';

/** An import's limits: the file's size (under the form's body limit) and its rows. */
export const MAX_IMPORT_BYTES = 48 * 1024;
export const MAX_IMPORT_ROWS = 500;

/** One contact read from a file, before it is checked: where it was, and its group names. */
export interface ImportedRow {
  /** Line of a CSV file, or the n-th card of a vCard file, as a person counts (from 1). */
  at: number;
  values: ContactValues;
  groupNames: string[];
}

export type ImportRead =
  { ok: true; format: 'csv' | 'vcard'; rows: ImportedRow[] } | { ok: false; message: string };

/** Reads a CSV or vCard (3.0 or 4.0) file; which one it is, it tells by its first line. */
export function readImport(raw: string): ImportRead {
  const content = raw.replace(/^\uFEFF/, '');
  if (content.trim() === '') return { ok: false, message: 'The file is empty.' };
  if (Buffer.byteLength(content, 'utf8') > MAX_IMPORT_BYTES) {
    return { ok: false, message: `The file is over ${MAX_IMPORT_BYTES / 1024} KB: split it.` };
  }
  const read = /^\s*BEGIN:VCARD/i.test(content) ? readVCards(content) : readCsv(content);
  if (!read.ok) return read;
  if (read.rows.length === 0) return { ok: false, message: 'The file has no contacts in it.' };
  if (read.rows.length > MAX_IMPORT_ROWS) {
    return {
      ok: false,
      message: `The file has ${read.rows.length} contacts; import at most ${MAX_IMPORT_ROWS} at a time.`,
    };
  }
  return read;
}

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. */
export function csvRecords(content: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (quoted) {
      if (c === '"' && content[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && content[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.some((f) => f.trim() !== '')) records.push({ line: startLine, fields });
      fields = [];
      field = '';
      line++;
      startLine = line;
    } else field += c;
  }
  fields.push(field);
  if (fields.some((f) => f.trim() !== '')) records.push({ line: startLine, fields });
  return records;
}

const COLUMN_NAMES: Record<string, Column> = {
  name: 'name',
  'full name': 'name',
  'display name': 'name',
  'first name': 'first',
  'given name': 'first',
  'last name': 'last',
  'family name': 'last',
  surname: 'last',
  email: 'email',
  'e-mail': 'email',
  'email address': 'email',
  'e-mail address': 'email',
  birthday: 'birthday',
  anniversary: 'anniversary',
  'other dates': 'other',
  groups: 'groups',
  group: 'groups',
};
type Column = 'name' | 'first' | 'last' | 'email' | 'birthday' | 'anniversary' | 'other' | 'groups';

function readCsv(content: string): ImportRead {
  const [header, ...records] = csvRecords(content);
  const at = new Map<Column, number>();
  (header?.fields ?? []).forEach((title, i) => {
    const column = COLUMN_NAMES[title.trim().toLowerCase()];
    if (column && !at.has(column)) at.set(column, i);
  });
  if (!at.has('email') || !(at.has('name') || at.has('first'))) {
    return {
      ok: false,
      message:
        'The first line must name the columns, with at least "name" and "email" (also read: birthday, anniversary, other dates, groups).',
    };
  }
  const rows = records.map(({ line, fields }) => {
    const get = (c: Column) => {
      const i = at.get(c);
      return i === undefined ? '' : (fields[i] ?? '').trim();
    };
    const name = get('name') || [get('first'), get('last')].filter(Boolean).join(' ');
    const dates = [
      { id: '', label: 'Birthday', value: get('birthday') },
      { id: '', label: 'Anniversary', value: get('anniversary') },
      ...otherDates(get('other')),
    ].filter((d) => d.value !== '');
    return {
      at: line,
      values: { name, email: get('email'), dates, groupIds: [] },
      groupNames: splitList(get('groups'), ';'),
    };
  });
  return { ok: true, format: 'csv', rows };
}

/** "Name day=06-24; Graduation=2020-06-01", as the export writes other dates. */
function otherDates(text: string): { id: string; label: string; value: string }[] {
  return splitList(text, ';').map((pair) => {
    const eq = pair.lastIndexOf('=');
    return eq === -1
      ? { id: '', label: '', value: pair }
      : { id: '', label: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() };
  });
}

function splitList(text: string, separator: string): string[] {
  return text
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);
}

function readVCards(content: string): ImportRead {
  // Folded lines (RFC 6350 3.2) continue with a space or tab.
  const lines = content
    .replace(/\r\n?/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n');
  const rows: ImportedRow[] = [];
  let card: Map<string, string[]> | null = null;
  let n = 0;
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const [rawName = ''] = line.slice(0, colon).split(';');
    // A group prefix ("item1.EMAIL") names no different property.
    const property = rawName.replace(/^[^.]*\./, '').toUpperCase();
    const value = line.slice(colon + 1);
    if (property === 'BEGIN' && value.trim().toUpperCase() === 'VCARD') {
      card = new Map();
      n++;
    } else if (property === 'END' && card) {
      rows.push(vCardRow(n, card));
      card = null;
    } else if (card) {
      card.set(property, [...(card.get(property) ?? []), value]);
    }
  }
  return { ok: true, format: 'vcard', rows };
}

function vCardRow(at: number, card: Map<string, string[]>): ImportedRow {
  const first = (p: string) => unescape(card.get(p)?.[0] ?? '').trim();
  let name = first('FN');
  if (name === '') {
    const [family = '', given = ''] = (card.get('N')?.[0] ?? '').split(';').map(unescape);
    name = [given.trim(), family.trim()].filter(Boolean).join(' ');
  }
  const dates = [
    { id: '', label: 'Birthday', value: vCardDate(first('BDAY')) },
    {
      id: '',
      label: 'Anniversary',
      value: vCardDate(first('ANNIVERSARY') || first('X-ANNIVERSARY')),
    },
  ].filter((d) => d.value !== '');
  return {
    at,
    values: { name, email: first('EMAIL').replace(/^mailto:/i, ''), dates, groupIds: [] },
    groupNames: (card.get('CATEGORIES') ?? []).flatMap((c) => splitList(c, ',').map(unescape)),
  };
}

/** vCard dates: 19900421, 1990-04-21, --0421, --04-21, with or without a time after. */
function vCardDate(value: string): string {
  const date = value.split('T')[0]?.trim() ?? '';
  const basic = /^(\d{4}|--)(\d{2})(\d{2})$/.exec(date);
  if (basic) {
    const parsed = parseDay(`${basic[1] === '--' ? '' : `${basic[1]}-`}${basic[2]}-${basic[3]}`);
    return parsed ? dayText(parsed) : date;
  }
  const parsed = parseDay(date);
  return parsed ? dayText(parsed) : date;
}

function unescape(value: string): string {
  return value.replace(/\\([\\,;nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? ' ' : c));
}

/** One CSV field, quoted when it must be; a leading =, +, - or @ is defused for spreadsheets. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
