import { themeProblems } from './console-site-definitions.js';
import {
  type Actor,
  mayCreatePartners,
  mayEditSite,
  mayInvite,
  maySeeAudit,
  reachesPartner,
} from './partner-roles.js';

const operator: Actor = { id: 'o', role: 'operator', partnerId: null };
const admin: Actor = { id: 'a', role: 'partner-admin', partnerId: 'acme' };
const analyst: Actor = { id: 'n', role: 'analyst', partnerId: 'acme' };

describe('console roles', () => {
  it('lets operators do everything but invite another operator from the console', () => {
    expect(mayCreatePartners(operator)).toBe(true);
    expect(mayEditSite(operator, 'acme')).toBe(true);
    expect(mayInvite(operator, 'acme', 'partner-admin')).toBe(true);
    expect(mayInvite(operator, 'acme', 'operator')).toBe(false);
    expect(reachesPartner(operator, 'anyone')).toBe(true);
  });

  it('keeps partner admins to their own partner', () => {
    expect(mayCreatePartners(admin)).toBe(false);
    expect(mayEditSite(admin, 'acme')).toBe(true);
    expect(mayEditSite(admin, 'other')).toBe(false);
    expect(mayEditSite(admin, null)).toBe(false);
    expect(mayInvite(admin, 'acme', 'analyst')).toBe(true);
    expect(mayInvite(admin, 'other', 'analyst')).toBe(false);
    expect(maySeeAudit(admin)).toBe(true);
  });

  it('gives analysts reports only', () => {
    expect(mayEditSite(analyst, 'acme')).toBe(false);
    expect(mayInvite(analyst, 'acme', 'analyst')).toBe(false);
    expect(maySeeAudit(analyst)).toBe(false);
    expect(reachesPartner(analyst, 'acme')).toBe(true);
  });
});

describe('theme colour', () => {
  it('takes colours white text reads on, and names the ratio of one it does not', () => {
    expect(themeProblems('#1f4e79')).toEqual([]);
    expect(themeProblems('#ffff00')[0]?.message).toMatch(/contrast 1\.07:1, below 4\.5:1/);
  });
});
