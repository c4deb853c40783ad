import { Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import { ValidationFailed } from '../common/domain-errors.js';
import { SiteRegistry } from '../sites/site-registry.js';
import {
  DEGRADATION_LEVEL_NAMES,
  DEGRADATION_LEVELS,
  type DegradationLevel,
  FLAG_KEYS,
  type FlagKey,
  isFlagKey,
  LEVEL_FLAGS,
} from '../config/flag-registry.js';
import { FlagStore } from './flag-store.service.js';
import {
  type FlagAuditEntry,
  type FlagChange,
  FlagsRepository,
  type LevelRecord,
} from './flags.repository.js';

const reason = z.string().trim().max(500).optional();

/** `value: null` removes the override at that scope (back to the site default). */
const flagChangeBody = z
  .object({
    value: z.boolean().nullable(),
    site: z.string().max(32).optional(),
    percentage: z.number().min(0).max(100).optional(),
    reason,
  })
  .strict()
  .refine((b) => !(b.value === null && b.percentage !== undefined), {
    message: 'a percentage needs a value',
    path: ['percentage'],
  });

const levelBody = z
  .object({
    level: z.enum(DEGRADATION_LEVEL_NAMES as [DegradationLevel, ...DegradationLevel[]]),
    site: z.string().max(32).optional(),
    reason,
  })
  .strict();

const ACTOR = /^[A-Za-z0-9 ._@-]{1,64}$/;

export interface FlagsOverview {
  audit: FlagAuditEntry[];
  levels: LevelRecord[];
}

/**
 * Operators' changes: validated here, written with their audit rows in one transaction, then
 * applied in this process at once and announced to the others.
 */
@Injectable()
export class FlagAdmin {
  private readonly logger = new Logger('Flags');

  constructor(
    private readonly repository: FlagsRepository,
    private readonly store: FlagStore,
    private readonly sites: SiteRegistry,
  ) {}

  async setFlag(key: string, body: unknown, actor: string): Promise<{ changed: boolean }> {
    const parsed = flagChangeBody.safeParse(body ?? {});
    const errors = parsed.success ? [] : fieldErrors(parsed.error);
    if (!isFlagKey(key))
      errors.unshift({ field: 'key', message: `must be one of ${FLAG_KEYS.join(', ')}` });
    if (parsed.success) errors.push(...this.siteErrors(parsed.data.site));
    if (!parsed.success || errors.length > 0 || !isFlagKey(key)) throw new ValidationFailed(errors);
    const { value, site, percentage } = parsed.data;
    const change: FlagChange = {
      flagKey: key,
      siteId: site ?? null,
      value,
      percentage: percentage ?? null,
    };
    return this.write([change], actor, parsed.data.reason ?? '');
  }

  /** Applies a level's preset at one scope; `normal` removes the overrides levels set. */
  async applyLevel(body: unknown, actor: string): Promise<{ changed: boolean }> {
    const parsed = levelBody.safeParse(body ?? {});
    const errors = parsed.success ? this.siteErrors(parsed.data.site) : fieldErrors(parsed.error);
    if (!parsed.success || errors.length > 0) throw new ValidationFailed(errors);
    const { level, site } = parsed.data;
    const preset: Partial<Record<FlagKey, boolean>> = DEGRADATION_LEVELS[level];
    const changes = LEVEL_FLAGS.map((flagKey) => ({
      flagKey,
      siteId: site ?? null,
      value: preset[flagKey] ?? null,
      percentage: null,
    }));
    const why = `level ${level}${parsed.data.reason ? `: ${parsed.data.reason}` : ''}`;
    return this.write(changes, actor, why, { siteId: site ?? null, name: level });
  }

  async overview(siteId: string | null): Promise<FlagsOverview> {
    const [audit, levels] = await Promise.all([
      this.repository.audit(this.store.namespace, siteId),
      this.repository.levels(this.store.namespace),
    ]);
    return { audit, levels };
  }

  private async write(
    changes: FlagChange[],
    actor: string,
    why: string,
    level?: { siteId: string | null; name: string },
  ): Promise<{ changed: boolean }> {
    const who = ACTOR.test(actor) ? actor : 'admin';
    const changed = await this.repository.apply(this.store.namespace, changes, who, why, level);
    this.logger.log({ event: 'flags-changed', changed, level: level?.name ?? null, actor: who });
    await this.store.reload('local');
    await this.store.broadcast();
    return { changed: changed > 0 };
  }

  private siteErrors(site: string | undefined): { field: string; message: string }[] {
    return site === undefined || this.sites.get(site)
      ? []
      : [
          {
            field: 'site',
            message: `must be one of ${this.sites.sites.map((s) => s.id).join(', ')}`,
          },
        ];
  }
}

function fieldErrors(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message }));
}
