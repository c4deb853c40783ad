import type { Result } from 'lighthouse';
import type { PageName } from './public-pages.js';

type AuditResult = Result['audits'][string];

/**
 * An audit the platform does not pass on purpose or cannot pass here, with why. It is printed
 * on every run and beside each result it covers, and does not fail the run; it covers a result
 * only while `covers` holds, so a new problem reported by the same audit still fails.
 */
export interface AuditException {
  audit: string;
  /** The pages it is about; every public page when absent. */
  pages?: readonly PageName[];
  reason: string;
  covers(result: AuditResult): boolean;
}

/**
 * The page's own stylesheets: the base styles and the site's theme (and a theme a partner
 * previews), fingerprinted under /assets/.
 */
const OWN_STYLESHEET = /^https?:\/\/[^/]+\/assets\/[^/]+\/(css\/app|theme)\.[0-9a-f]+\.css$/;

/** Together they are about 9 KB compressed today; more would be a change worth a look. */
const STYLESHEETS_MAX_BYTES = 16 * 1024;

const STYLESHEETS_REASON =
  "the page's own two stylesheets (base styles and the site's theme, about 9 KB compressed, " +
  'fingerprinted and cached for a year) hold up the first paint; passing needs them inlined ' +
  'into every page, which the issue rules out (no bigger pages) and which gives up their ' +
  'caching from page to page. Any other blocking resource still fails.';

export const EXCEPTIONS: readonly AuditException[] = [
  {
    audit: 'render-blocking-insight',
    reason: STYLESHEETS_REASON,
    covers: (result) => {
      const items = tableItems(result);
      const bytes = items.reduce((sum, item) => sum + Number(item.totalBytes ?? 0), 0);
      return (
        items.length > 0 &&
        items.every((item) => OWN_STYLESHEET.test(String(item.url))) &&
        bytes <= STYLESHEETS_MAX_BYTES
      );
    },
  },
  {
    audit: 'network-dependency-tree-insight',
    reason: `the only chain is the page, then ${STYLESHEETS_REASON}`,
    covers: (result) => {
      const chained = chainedUrls(result);
      return (
        chained !== undefined &&
        chained.length > 0 &&
        chained.every((url) => OWN_STYLESHEET.test(url))
      );
    },
  },
  {
    audit: 'bf-cache',
    pages: ['compose'],
    reason:
      'the compose form carries a signed form token and is sent `Cache-Control: private, ' +
      'no-store`, as every page with a token is (docs/security.md), so no cache keeps a copy ' +
      'of it, the back/forward cache included; Lighthouse itself calls both reasons "not ' +
      'actionable". Any other reason still fails.',
    covers: (result) =>
      tableItems(result).every((item) =>
        [
          'MainResourceHasCacheControlNoStore',
          'JsNetworkRequestReceivedCacheControlNoStoreResource',
        ].includes(String(item.protocolReason)),
      ),
  },
];

export function exceptionFor(result: AuditResult, page: PageName): AuditException | undefined {
  return EXCEPTIONS.find(
    (exception) =>
      exception.audit === result.id &&
      (exception.pages?.includes(page) ?? true) &&
      exception.covers(result),
  );
}

function tableItems(result: AuditResult): Record<string, unknown>[] {
  const details = result.details as { items?: unknown } | undefined;
  return Array.isArray(details?.items) ? (details.items as Record<string, unknown>[]) : [];
}

interface ChainNode {
  url: string;
  children: Record<string, ChainNode>;
}

/**
 * The requests chained after the page itself in the insight's tree, or undefined when the
 * tree is not a single page with requests one level below it.
 */
function chainedUrls(result: AuditResult): string[] | undefined {
  const tree = tableItems(result).find(
    (item) => (item.value as { type?: string } | undefined)?.type === 'network-tree',
  );
  const chains = (tree?.value as { chains?: Record<string, ChainNode> } | undefined)?.chains;
  const roots = Object.values(chains ?? {});
  if (roots.length !== 1) return undefined;
  const below = Object.values(roots[0]?.children ?? {});
  if (below.some((node) => Object.keys(node.children).length > 0)) return undefined;
  return below.map((node) => node.url);
}
