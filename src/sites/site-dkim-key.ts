/* A site's own DKIM key, in the shapes its readers need (see SiteDkimKeys, DkimKeyring). */

/** One key as the console lists it: never its private half. */
export interface SiteDkimKeyRow {
  id: string;
  siteId: string;
  domain: string;
  selector: string;
  /** Base64 DER of the public key: the DNS record's `p=`. */
  publicKey: string;
  createdAt: Date;
  activatedAt: Date | null;
  retiredAt: Date | null;
}

/** A site's signing key as the signer needs it, its private half still sealed. */
export interface SealedDkimKey {
  id: string;
  siteId: string;
  domain: string;
  selector: string;
  privateKeySealed: string;
}

export interface NewSiteDkimKey extends SealedDkimKey {
  publicKey: string;
  createdAt: Date;
  createdBy: string | null;
}
