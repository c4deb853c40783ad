import { Injectable } from '@nestjs/common';
import type { Site } from '../../sites/site.js';
import { emailKeyOf } from '../dto/account-forms.js';
import {
  checkContact,
  type ContactValues,
  dayText,
  MAX_CONTACTS,
  MAX_GROUPS,
} from './contact-fields.js';
import { csvField, type ImportedRow, readImport } from './contact-import.js';
import { type ContactRecord, ContactsRepository } from './contacts.repository.js';

/** A row of an import's report: what became of each contact in the file. */
export interface ImportOutcome {
  at: number;
  name: string;
  email: string;
  outcome: 'added' | 'known' | 'refused';
  message: string;
}

export interface ImportReport {
  format: 'csv' | 'vcard';
  added: number;
  known: number;
  refused: number;
  rows: ImportOutcome[];
}

/** What the compose form offers a member to pick from. */
export interface AddressBookChoices {
  contacts: { id: string; name: string; email: string }[];
  groups: { id: string; name: string; size: number; contactIds: string[] }[];
}

/**
 * A member's address book as other parts of the site use it: the compose form's choices and
 * picks, the history's one-click saves, imports and exports, and deletion with the account.
 */
@Injectable()
export class AddressBook {
  constructor(private readonly contacts: ContactsRepository) {}

  async choices(site: Site, memberId: string): Promise<AddressBookChoices> {
    const [contacts, groups] = await Promise.all([
      this.contacts.list(site.id, memberId),
      this.contacts.groups(site.id, memberId),
    ]);
    return {
      contacts: contacts.map(({ id, name, email }) => ({ id, name, email })),
      groups: groups
        .filter((g) => g.size > 0)
        .map((g) => ({
          ...g,
          contactIds: contacts.filter((c) => c.groupIds.includes(g.id)).map((c) => c.id),
        })),
    };
  }

  /** The picked contacts and the contacts of the picked groups, once each, as recipients. */
  async recipients(
    site: Site,
    memberId: string,
    contactIds: string[],
    groupIds: string[],
  ): Promise<{ name: string; email: string }[]> {
    const fromGroups = await this.contacts.inGroups(site.id, memberId, groupIds);
    const ids = [...new Set([...contactIds, ...fromGroups])];
    const picked = await this.contacts.list(site.id, memberId, ids);
    return picked.map(({ name, email }) => ({ name, email }));
  }

  /** Which of these addresses the book holds already (folded as the book folds them). */
  async known(site: Site, memberId: string, addresses: string[]): Promise<Set<string>> {
    const keys = [...new Set(addresses.map(emailKeyOf))];
    return this.contacts.knownKeys(site.id, memberId, keys);
  }

  /** A contact from a name and address only (a recipient saved from the history). */
  async save(
    site: Site,
    memberId: string,
    values: { name: string; email: string },
  ): Promise<'added' | 'known' | 'full' | 'invalid'> {
    const checked = checkContact({ ...values, dates: [], groupIds: [] });
    if (!checked.ok) return 'invalid';
    if ((await this.contacts.count(site.id, memberId)) >= MAX_CONTACTS) return 'full';
    return (await this.contacts.insert(site.id, memberId, checked.input)) ? 'added' : 'known';
  }

  async import(site: Site, memberId: string, content: string): Promise<ImportReport | string> {
    const read = readImport(content);
    if (!read.ok) return read.message;
    let room = MAX_CONTACTS - (await this.contacts.count(site.id, memberId));
    const groups = new Map<string, string>();
    const rows: ImportOutcome[] = [];
    for (const row of read.rows) {
      const outcome = await this.importRow(site, memberId, row, room, groups);
      if (outcome.outcome === 'added') room--;
      rows.push(outcome);
    }
    const count = (o: ImportOutcome['outcome']) => rows.filter((r) => r.outcome === o).length;
    return {
      format: read.format,
      added: count('added'),
      known: count('known'),
      refused: count('refused'),
      rows,
    };
  }

  private async importRow(
    site: Site,
    memberId: string,
    row: ImportedRow,
    room: number,
    groups: Map<string, string>,
  ): Promise<ImportOutcome> {
    const base = { at: row.at, name: row.values.name, email: row.values.email };
    const checked = checkContact(row.values);
    if (!checked.ok) {
      return { ...base, outcome: 'refused', message: Object.values(checked.errors).join(' ') };
    }
    if (room <= 0) {
      return {
        ...base,
        outcome: 'refused',
        message: `Your address book is full (${MAX_CONTACTS} contacts).`,
      };
    }
    const groupIds: string[] = [];
    for (const name of row.groupNames.slice(0, 10)) {
      const trimmed = name.slice(0, 60);
      let id = groups.get(trimmed);
      if (!id && groups.size < MAX_GROUPS) {
        id = await this.contacts.groupNamed(site.id, memberId, trimmed);
        groups.set(trimmed, id);
      }
      if (id) groupIds.push(id);
    }
    const id = await this.contacts.insert(site.id, memberId, { ...checked.input, groupIds });
    return id
      ? { ...base, outcome: 'added', message: 'Added.' }
      : { ...base, outcome: 'known', message: 'Already in your address book: left as it was.' };
  }

  /** The book as CSV, in the columns an import reads back. */
  async csv(site: Site, memberId: string): Promise<string> {
    const [contacts, groups] = await Promise.all([
      this.contacts.list(site.id, memberId),
      this.contacts.groups(site.id, memberId),
    ]);
    const groupNames = new Map(groups.map((g) => [g.id, g.name]));
    const lines = [['name', 'email', 'birthday', 'anniversary', 'other dates', 'groups']];
    for (const c of contacts) {
      const named = (label: string) => c.dates.find((d) => d.label === label);
      const birthday = named('Birthday');
      const anniversary = named('Anniversary');
      const others = c.dates.filter((d) => d !== birthday && d !== anniversary);
      lines.push([
        c.name,
        c.email,
        birthday ? dayText(birthday) : '',
        anniversary ? dayText(anniversary) : '',
        others.map((d) => `${d.label}=${dayText(d)}`).join('; '),
        c.groupIds.flatMap((g) => groupNames.get(g) ?? []).join('; '),
      ]);
    }
    return `${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`;
  }

  /** The book as the account export lists it. */
  async exportOf(site: Site, memberId: string): Promise<AddressBookExport> {
    const [contacts, groups] = await Promise.all([
      this.contacts.list(site.id, memberId),
      this.contacts.groups(site.id, memberId),
    ]);
    const groupNames = new Map(groups.map((g) => [g.id, g.name]));
    return {
      contacts: contacts.map((c: ContactRecord) => ({
        name: c.name,
        email: c.email,
        dates: c.dates.map((d) => ({ label: d.label, date: dayText(d) })),
        groups: c.groupIds.flatMap((g) => groupNames.get(g) ?? []),
      })),
      groups: groups.map((g) => g.name),
    };
  }

  deleteAll(site: Site, memberId: string): Promise<void> {
    return this.contacts.deleteAll(site.id, memberId);
  }
}

export interface AddressBookExport {
  contacts: {
    name: string;
    email: string;
    dates: { label: string; date: string }[];
    groups: string[];
  }[];
  groups: string[];
}

export type { ContactValues };
