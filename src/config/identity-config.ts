import { z } from 'zod';

/** Environment variables of people's accounts (members now, partner staff later). */
export const identityEnv = {
  ACCOUNT_SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  ACCOUNT_LOCK_AFTER_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  ACCOUNT_CLIENT_FAILURES_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(30),
  ACCOUNT_EMAILS_PER_CLIENT_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
  ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(5),
  MEMBER_SENDS_PER_DAY: z.coerce.number().int().min(1).max(100_000).default(50),
  /**
   * Name servers asked for a partner hostname's TXT proof, as `ip` or `ip:port`, comma
   * separated; empty: the system's.
   */
  HOSTNAME_DNS_SERVERS: z
    .string()
    .default('')
    .refine(
      (v) => v.split(',').every((s) => s.trim() === '' || /^[0-9a-fA-F.:[\]]+$/.test(s.trim())),
      'must be name server addresses such as 9.9.9.9 or 127.0.0.1:5353, comma separated',
    ),
};

export interface IdentityConfig {
  sessionSeconds: number;
  /** Wrong passwords for one account within the lock window before its password is refused. */
  lockAfterFailures: number;
  /** Wrong passwords one client may type across all accounts in an hour. */
  clientFailuresPerHour: number;
  /** Sign-ups, sign-in links and reset emails one client may ask for in an hour. */
  emailsPerClientPerHour: number;
  /** Account emails one address may receive in an hour, whoever asks. */
  emailsPerAddressPerHour: number;
  /** Cards a verified member may send as themselves in any 24 hours, instead of the anonymous limits. */
  memberSendsPerDay: number;
  /** Name servers for partner hostnames' TXT proofs; empty: the system's. */
  hostnameDnsServers: string[];
}

type IdentityEnv = z.infer<z.ZodObject<typeof identityEnv>>;

export function identityConfigOf(e: IdentityEnv): IdentityConfig {
  return {
    sessionSeconds: e.ACCOUNT_SESSION_DAYS * 86_400,
    lockAfterFailures: e.ACCOUNT_LOCK_AFTER_FAILURES,
    clientFailuresPerHour: e.ACCOUNT_CLIENT_FAILURES_PER_HOUR,
    emailsPerClientPerHour: e.ACCOUNT_EMAILS_PER_CLIENT_PER_HOUR,
    emailsPerAddressPerHour: e.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR,
    memberSendsPerDay: e.MEMBER_SENDS_PER_DAY,
    hostnameDnsServers: e.HOSTNAME_DNS_SERVERS.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  };
}
