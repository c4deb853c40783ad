import { LatencyHistogram } from './histogram.js';
import { KINDS, type Kind } from './model.js';

/** Everything measured for one kind of request in one stage or one second. */
export class Cell {
  readonly latency = new LatencyHistogram();
  /** Responses and failures by status code, or `timeout` / `connection` without a response. */
  readonly outcomes: Record<string, number> = {};
  errors = 0;
  readonly cache = { HIT: 0, MISS: 0, STALE: 0 };

  get requests(): number {
    return this.latency.count;
  }

  /** (HIT + STALE) / all cache-tagged responses; null when no response carried X-Cache. */
  get cacheHitRatio(): number | null {
    const all = this.cache.HIT + this.cache.MISS + this.cache.STALE;
    return all === 0 ? null : (this.cache.HIT + this.cache.STALE) / all;
  }

  merge(other: Cell): void {
    this.latency.merge(other.latency);
    this.errors += other.errors;
    for (const [k, v] of Object.entries(other.outcomes))
      this.outcomes[k] = (this.outcomes[k] ?? 0) + v;
    this.cache.HIT += other.cache.HIT;
    this.cache.MISS += other.cache.MISS;
    this.cache.STALE += other.cache.STALE;
  }
}

type Cells = Map<Kind, Cell>;

function cellOf(cells: Cells, kind: Kind): Cell {
  let cell = cells.get(kind);
  if (!cell) {
    cell = new Cell();
    cells.set(kind, cell);
  }
  return cell;
}

/**
 * Sends are answered 201 (200 on a replay); a form that sends redirects to its confirmation
 * (303); everything else must be a 2xx page.
 */
export function isError(kind: Kind, status: number): boolean {
  if (kind === 'send') return status !== 201 && status !== 200;
  if (kind === 'photo' || kind === 'm-send') return status !== 303;
  return status < 200 || status >= 300;
}

/**
 * Collects every response by stage and by second of the run. Seconds are counted from the
 * first stage's start, so the charts and the stage table read the same clock.
 */
export class Recorder {
  readonly stages = new Map<string, Cells>();
  readonly seconds: Cells[] = [];
  readonly secondStage: string[] = [];
  readonly stageWindows = new Map<string, { startMs: number; endMs: number }>();
  private stage = '';
  private startedAt = 0;

  beginStage(name: string): void {
    const now = performance.now();
    if (this.startedAt === 0) this.startedAt = now;
    this.stage = name;
    const window = this.stageWindows.get(name);
    this.stageWindows.set(name, { startMs: window?.startMs ?? now, endMs: now });
  }

  endStage(): void {
    const window = this.stageWindows.get(this.stage);
    if (window) window.endMs = performance.now();
  }

  /** Seconds the stage actually ran (the denominator of its rates). */
  stageSeconds(name: string): number {
    const w = this.stageWindows.get(name);
    return w ? Math.max(0.001, (w.endMs - w.startMs) / 1000) : 0;
  }

  /** Seconds since the first stage began. */
  elapsed(): number {
    return this.startedAt === 0 ? 0 : (performance.now() - this.startedAt) / 1000;
  }

  response(kind: Kind, status: number, latencyMs: number, cache: string | undefined): void {
    this.each(kind, (cell) => {
      cell.latency.record(latencyMs);
      cell.outcomes[status] = (cell.outcomes[status] ?? 0) + 1;
      if (isError(kind, status)) cell.errors += 1;
      if (cache === 'HIT' || cache === 'MISS' || cache === 'STALE') cell.cache[cache] += 1;
    });
  }

  failure(kind: Kind, reason: 'timeout' | 'connection'): void {
    this.each(kind, (cell) => {
      cell.outcomes[reason] = (cell.outcomes[reason] ?? 0) + 1;
      cell.errors += 1;
    });
  }

  /** All kinds of one stage merged into one cell per kind group. */
  stageCell(stage: string, kinds: readonly Kind[]): Cell {
    const merged = new Cell();
    const cells = this.stages.get(stage);
    for (const kind of kinds) {
      const cell = cells?.get(kind);
      if (cell) merged.merge(cell);
    }
    return merged;
  }

  totalErrors(): number {
    let errors = 0;
    for (const cells of this.stages.values())
      for (const cell of cells.values()) errors += cell.errors;
    return errors;
  }

  kindsSeen(): Kind[] {
    const seen = new Set<Kind>();
    for (const cells of this.stages.values()) for (const kind of cells.keys()) seen.add(kind);
    return KINDS.filter((k) => seen.has(k));
  }

  private each(kind: Kind, apply: (cell: Cell) => void): void {
    let stageCells = this.stages.get(this.stage);
    if (!stageCells) {
      stageCells = new Map();
      this.stages.set(this.stage, stageCells);
    }
    apply(cellOf(stageCells, kind));
    const second = Math.floor(this.elapsed());
    while (this.seconds.length <= second) {
      this.seconds.push(new Map());
      this.secondStage.push(this.stage);
    }
    apply(cellOf(this.seconds[second] as Cells, kind));
  }
}
