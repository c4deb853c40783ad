/**
 * How far behind the primary a replica is, in time, from what any database user may read:
 * the primary's `@@gtid_binlog_pos` sampled at every probe, and a replica's `@@gtid_slave_pos`.
 * A replica is behind since the first sample it does not hold yet. (MariaDB's own
 * Seconds_Behind_Master needs a privilege the application's user does not have, and reads 0
 * while the replica is still fetching the backlog.)
 */

/** A GTID list (`0-1-41571,1-2-9`) as each replication domain's last sequence number. */
export function parseGtidList(text: string): Map<number, number> {
  const positions = new Map<number, number>();
  for (const part of text.split(',')) {
    const match = /^\s*(\d+)-\d+-(\d+)\s*$/.exec(part);
    if (!match) continue;
    positions.set(Number(match[1]), Number(match[2]));
  }
  return positions;
}

/** Whether `replica` holds every transaction `primary` names, domain by domain. */
export function holdsPosition(
  replica: ReadonlyMap<number, number>,
  primary: ReadonlyMap<number, number>,
): boolean {
  for (const [domain, seq] of primary) {
    if ((replica.get(domain) ?? -1) < seq) return false;
  }
  return true;
}

interface Sample {
  at: number;
  positions: Map<number, number>;
}

/** The primary's positions over the last minute, one per probe that changed them. */
export class PrimaryPositionHistory {
  private readonly samples: Sample[] = [];

  constructor(private readonly keepMs = 60_000) {}

  record(gtid: string, at: number): void {
    const positions = parseGtidList(gtid);
    const last = this.samples[this.samples.length - 1];
    if (last && sameMap(last.positions, positions)) return;
    this.samples.push({ at, positions });
    while (this.samples.length > 1 && (this.samples[0]?.at ?? at) < at - this.keepMs) {
      this.samples.shift();
    }
  }

  /**
   * How long the replica at `gtid` has been behind at `now`: 0 when it holds the newest sample
   * (or nothing is known yet), else the age of the oldest sample it lacks (what it misses was
   * committed before that sample was taken).
   */
  lagMs(gtid: string, now: number): number {
    const replica = parseGtidList(gtid);
    // The first sample not held, found from the newest: a replica usually holds all of them.
    let firstNotHeld: Sample | null = null;
    for (let i = this.samples.length - 1; i >= 0; i--) {
      const sample = this.samples[i] as Sample;
      if (holdsPosition(replica, sample.positions)) break;
      firstNotHeld = sample;
    }
    return firstNotHeld ? Math.max(0, now - firstNotHeld.at) : 0;
  }
}

function sameMap(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}
