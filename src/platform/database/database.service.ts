import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { withTimeout } from '../../common/with-timeout.js';
import type { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel.js';
import {
  mysqlErrno,
  retryOnLockConflict,
  StoreUnavailableError,
} from '../../common/store-errors.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { DependencyHealth } from '../resilience/dependency-health.js';
import { StoreBreaker } from '../resilience/store-breaker.js';
import { createDataSource } from './data-source.factory.js';
import { PrimaryPositionHistory } from './replica-lag.js';
import { readPosition, type ReplicationPosition, waitForPosition } from './replication-position.js';

interface Member {
  name: string;
  source: DataSource;
  breaker: StoreBreaker;
  /** Last failure reported, so a long outage logs once rather than every probe. */
  lastError: string | null;
  /** A probe still waiting (a hung server) is not joined by another every 500 ms. */
  probing: boolean;
  /** False once the server turned out to have no GTID variables (MySQL): no lag is measured. */
  hasGtids: boolean;
  /** A position read still waiting is not joined by another. */
  sampling: boolean;
  serverId: number | null;
  /** How long this replica has been behind the primary at its last probe (0 for the primary). */
  lagMs: number;
}

export interface DatabaseMemberHealth {
  name: string;
  up: boolean;
  /** A replica answering but further behind than allowed: reads go elsewhere. */
  behind: boolean;
  lagMs: number;
}

const PROBE_INTERVAL_MS = 500;
const PROBE_TIMEOUT_MS = 800;
/** What a server without MariaDB's GTID variables (MySQL) answers the position read with. */
const UNKNOWN_SYSTEM_VARIABLE = 1193;

/**
 * Writes (and reads that must see them) go to the primary; other reads go to a replica that
 * answered its last probe, else to the primary. Probing keeps a dead replica out of rotation
 * within a second and brings it back when it answers again. Each server has a circuit
 * breaker fed by its probes: while the primary's is open, `writer()` fails at once (a
 * StoreUnavailableError, a 503 or a spooled send) instead of every request waiting for a
 * connect timeout. A replica further behind the primary than `replicaMaxLagMs` (measured from
 * GTID positions at every probe) leaves the rotation until it catches up: reads on it would
 * show pages and catalog data that old, and keep them in the caches.
 */
@Injectable()
export class DatabaseService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private readonly primary: Member;
  private readonly replicas: Member[];
  private probeTimer: NodeJS.Timeout | null = null;
  private nextReplica = 0;
  private readonly primaryPositions = new PrimaryPositionHistory();
  private readonly maxLagMs: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { database } = config;
    this.maxLagMs = database.replicaMaxLagMs;
    const member = (name: string, url: string, breakerName: string): Member => ({
      name,
      source: createDataSource({ url, poolSize: database.poolSize, name }),
      breaker: new StoreBreaker(breakerName),
      lastError: null,
      probing: false,
      hasGtids: true,
      sampling: false,
      serverId: null,
      lagMs: 0,
    });
    this.primary = member('primary', database.primaryUrl, 'primary');
    this.replicas = database.replicaUrls.map((url, i) =>
      member(`replica-${i}`, url, `replica:${new URL(url).host}`),
    );
  }

  async onModuleInit(): Promise<void> {
    await Promise.all([this.primary, ...this.replicas].map((m) => this.probe(m)));
    if (!this.primary.breaker.up) {
      this.logger.warn('primary database unreachable at boot; will keep trying');
    }
    this.probeTimer = setInterval(() => {
      for (const m of [this.primary, ...this.replicas]) void this.probe(m);
    }, PROBE_INTERVAL_MS);
    this.probeTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.probeTimer) clearInterval(this.probeTimer);
    await Promise.all(
      [this.primary, ...this.replicas]
        .filter((m) => m.source.isInitialized)
        .map((m) => m.source.destroy().catch(() => undefined)),
    );
  }

  /** The primary: for writes and for reads that must see the caller's own writes. */
  writer(): EntityManager {
    // A primary never reached since boot has no metadata yet, and one whose breaker is open
    // would only make the caller wait for a connect timeout: say what is wrong at once.
    if (!this.primary.source.isInitialized || !this.primary.breaker.allows()) {
      throw new StoreUnavailableError('primary database');
    }
    return this.primary.source.manager;
  }

  /**
   * A transaction on the primary, run again when MariaDB rolls it back as a deadlock victim or
   * after a lock wait, as the server asks: under a holiday's mix of sends, first opens, relay
   * rounds and delivery batches on the same rows a deadlock is rare but certain, and none of
   * these transactions leaves anything behind when rolled back.
   */
  writeTransaction<T>(
    work: (tx: EntityManager) => Promise<T>,
    isolation?: IsolationLevel,
  ): Promise<T> {
    return retryOnLockConflict(() =>
      isolation ? this.writer().transaction(isolation, work) : this.writer().transaction(work),
    );
  }

  /**
   * A replica that answered its last probe and is not too far behind, round-robin; the primary
   * when none is.
   */
  reader(): EntityManager {
    const count = this.replicas.length;
    for (let i = 0; i < count; i++) {
      const member = this.replicas[(this.nextReplica + i) % count];
      if (member?.breaker.up && member.lagMs <= this.maxLagMs) {
        this.nextReplica = (this.nextReplica + i + 1) % count;
        return member.source.manager;
      }
    }
    return this.writer();
  }

  /** What the replicas must reach to hold every write the primary has committed so far. */
  async replicationPosition(): Promise<ReplicationPosition> {
    // Fails at once while the primary's breaker is open, as every use of the primary does.
    this.writer();
    const { gtid } = await withTimeout(
      readPosition(this.primary.source, 'primary'),
      PROBE_TIMEOUT_MS,
    );
    return gtid ?? '';
  }

  /**
   * Whether every replica that answers holds `position`, waiting up to `timeoutMs` for those in
   * rotation (true when there are none). One too far behind to serve reads is only asked, not
   * waited for: it will not catch up within a purge's wait, and it serves nothing meanwhile.
   * A replica down is left out; one that cannot answer counts as not holding it.
   */
  async replicasReach(position: ReplicationPosition, timeoutMs: number): Promise<boolean> {
    if (position === '') return true;
    const answering = this.replicas.filter((m) => m.breaker.up && !this.isPrimaryServer(m));
    const reached = await Promise.all(
      answering.map((m) =>
        waitForPosition(m.source, position, m.lagMs > this.maxLagMs ? 0 : timeoutMs).catch(
          (error: Error) => {
            this.logger.warn(`cannot tell whether ${m.name} holds recent writes: ${error.message}`);
            return false;
          },
        ),
      ),
    );
    return reached.every(Boolean);
  }

  primarySource(): DataSource {
    return this.primary.source;
  }

  /** Every server's DataSource by name, read by the pool metrics. */
  dataSources(): { name: string; source: DataSource }[] {
    return [this.primary, ...this.replicas].map((m) => ({ name: m.name, source: m.source }));
  }

  /** Whether the primary answered its last probe and its breaker is closed. */
  primaryUp(): boolean {
    return this.primary.breaker.up;
  }

  /** Whether any server can answer reads: pages that miss every cache can still be built. */
  canRead(): boolean {
    return [this.primary, ...this.replicas].some((m) => m.breaker.up);
  }

  health(): DatabaseMemberHealth[] {
    return [this.primary, ...this.replicas].map((m) => ({
      name: m.name,
      up: m.breaker.up,
      behind: m.lagMs > this.maxLagMs,
      lagMs: m.lagMs,
    }));
  }

  /** Each server's breaker, named `primary` and `replica:<host:port>`. */
  dependencies(): DependencyHealth[] {
    return [this.primary, ...this.replicas].map((m) => m.breaker.health());
  }

  private async probe(member: Member): Promise<void> {
    if (member.probing) return;
    member.probing = true;
    const wasUp = member.breaker.up;
    const up = await member.breaker.probe(async () => {
      try {
        if (!member.source.isInitialized) await member.source.initialize();
        await withTimeout(member.source.query('SELECT 1'), PROBE_TIMEOUT_MS);
        member.lastError = null;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (message !== member.lastError) {
          this.logger.warn(`${member.name} unreachable: ${message}`);
          member.lastError = message;
        }
        throw error;
      }
    });
    member.probing = false;
    if (up && !wasUp) this.logger.log(`${member.name} is up`);
    // Awaited by the boot probe, so the first purges know which "replica" is the primary.
    if (up) await this.samplePosition(member);
  }

  /**
   * Reads the server's GTID position apart from the probe: reading the binlog position waits
   * for a commit being written to the binlog, and a busy primary must not look down for it. A
   * read that fails or is slow is only a sample missed.
   */
  private async samplePosition(member: Member): Promise<void> {
    if (member.sampling || !member.hasGtids) return;
    member.sampling = true;
    try {
      const role = member === this.primary ? 'primary' : 'replica';
      const { serverId, gtid } = await withTimeout(
        readPosition(member.source, role),
        PROBE_TIMEOUT_MS,
      );
      member.serverId = serverId;
      if (gtid !== null) this.notePosition(member, gtid);
    } catch (error) {
      if (mysqlErrno(error) === UNKNOWN_SYSTEM_VARIABLE) member.hasGtids = false;
    } finally {
      member.sampling = false;
    }
  }

  /** A "replica" that is the primary itself (one server for both roles): never behind. */
  private isPrimaryServer(member: Member): boolean {
    return member.serverId !== null && member.serverId === this.primary.serverId;
  }

  private notePosition(member: Member, gtid: ReplicationPosition): void {
    const now = Date.now();
    if (member === this.primary) {
      this.primaryPositions.record(gtid, now);
      return;
    }
    const lagMs = this.isPrimaryServer(member) ? 0 : this.primaryPositions.lagMs(gtid, now);
    const wasBehind = member.lagMs > this.maxLagMs;
    const behind = lagMs > this.maxLagMs;
    member.lagMs = lagMs;
    if (behind && !wasBehind) {
      this.logger.warn(`${member.name} is ${lagMs} ms behind the primary: reads go elsewhere`);
    } else if (wasBehind && !behind) {
      this.logger.log(`${member.name} has caught up with the primary`);
    }
  }
}
