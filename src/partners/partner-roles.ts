/** What a person may do in the console; the role decides, the partner bounds it. */
export const PARTNER_ROLES = ['operator', 'partner-admin', 'analyst'] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];

/** The roles a partner's own people can hold (operators belong to the platform). */
export const PARTNER_STAFF_ROLES = ['partner-admin', 'analyst'] as const;

export function isPartnerRole(value: unknown): value is PartnerRole {
  return typeof value === 'string' && (PARTNER_ROLES as readonly string[]).includes(value);
}

/** Who is acting, as the rules need it. */
export interface Actor {
  id: string;
  role: PartnerRole;
  /** null for operators. */
  partnerId: string | null;
}

/** Operators reach every partner; anyone else only their own. */
export function reachesPartner(actor: Actor, partnerId: string | null): boolean {
  return actor.role === 'operator' || (partnerId !== null && actor.partnerId === partnerId);
}

/** Creating partners and their sites is the platform's call. */
export function mayCreatePartners(actor: Actor): boolean {
  return actor.role === 'operator';
}

/** Changing a site (theme, copy, catalog, publish, restore): its partner's admins, operators. */
export function mayEditSite(actor: Actor, ownerPartnerId: string | null): boolean {
  if (actor.role === 'operator') return true;
  return actor.role === 'partner-admin' && reachesPartner(actor, ownerPartnerId);
}

/** Inviting people to a partner: its admins (never as operators), and operators. */
export function mayInvite(actor: Actor, partnerId: string, role: PartnerRole): boolean {
  if (role === 'operator') return false;
  if (actor.role === 'operator') return true;
  return actor.role === 'partner-admin' && actor.partnerId === partnerId;
}

/** Analysts read reports only: no site editor, no people, no audit. */
export function maySeeAudit(actor: Actor): boolean {
  return actor.role !== 'analyst';
}
