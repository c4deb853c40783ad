import { parseDay } from './contact-fields.js';
import { csvField, csvRecords, readImport } from './contact-import.js';

describe('contact files', () => {
  it('reads quoted CSV fields with commas, quotes and line breaks, counting lines', () => {
    const records = csvRecords(
      'name,email\r\n"Lee, ""Ann""","a@x.example"\n"Two\nlines",b@x.example\n\n',
    );
    expect(records).toEqual([
      { line: 1, fields: ['name', 'email'] },
      { line: 2, fields: ['Lee, "Ann"', 'a@x.example'] },
      { line: 3, fields: ['Two\nlines', 'b@x.example'] },
    ]);
  });

  it('writes fields a spreadsheet reads back and never runs', () => {
    expect(csvField('Lee, Ann')).toBe('"Lee, Ann"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('plain')).toBe('plain');
  });

  it('reads first and last name columns, other dates and a byte-order mark', () => {
    const read = readImport(
      '\uFEFFFirst Name,Last Name,E-mail,Other dates\nAnn,Lee,a@x.example,Name day=06-24\n',
    );
    expect(read).toEqual({
      ok: true,
      format: 'csv',
      rows: [
        {
          at: 2,
          values: {
            name: 'Ann Lee',
            email: 'a@x.example',
            dates: [{ id: '', label: 'Name day', value: '06-24' }],
            groupIds: [],
          },
          groupNames: [],
        },
      ],
    });
  });

  it('reads folded, escaped vCard lines and item-grouped properties', () => {
    const read = readImport(
      'BEGIN:VCARD\nVERSION:4.0\nFN:Ann\\, the\n  First\nitem1.EMAIL;TYPE=home:a@x.example\nCATEGORIES:Family,Work\nEND:VCARD\n',
    );
    expect(read.ok && read.rows[0]).toEqual(
      expect.objectContaining({
        values: expect.objectContaining({ name: 'Ann, the First', email: 'a@x.example' }),
        groupNames: ['Family', 'Work'],
      }),
    );
  });

  it('takes dates with or without a year, and refuses impossible ones', () => {
    expect(parseDay('1990-04-21')).toEqual({ year: 1990, month: 4, day: 21 });
    expect(parseDay('--02-29')).toEqual({ year: null, month: 2, day: 29 });
    expect(parseDay('2023-02-29')).toBeNull();
    expect(parseDay('13-01')).toBeNull();
  });
});
