import { MISMATCH_KINDS, type MismatchKind } from '@seamless-ops/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { LoadMore } from '../../../components/LoadMore';
import { PageHeader } from '../../../components/PageHeader';
import { QueryState } from '../../../components/QueryState';
import { useGlobalFilters } from '../../../lib/filters';
import { formatCount } from '../../../lib/format';
import { MISMATCH_KIND_LABELS } from '../../../lib/labels';
import { useSearchParams } from '../../../lib/router';
import { mismatchQueries, type MismatchSearch } from '../api/mismatch-queries';
import { MismatchGroups } from '../components/MismatchGroups';

export function readMismatchSearch(params: URLSearchParams): MismatchSearch {
  const kind = params.get('kind');
  return {
    status: params.get('status') === 'resolved' ? 'resolved' : 'open',
    kind: kind && (MISMATCH_KINDS as readonly string[]).includes(kind) ? (kind as MismatchKind) : undefined,
  };
}

export function MismatchesPage() {
  const filters = useGlobalFilters();
  const [params, setParams] = useSearchParams();
  const search = readMismatchSearch(params);
  const mismatches = useInfiniteQuery(mismatchQueries.list(filters, search));

  return (
    <>
      <PageHeader
        title="Mismatches"
        description="Outcomes that do not add up, each with the reason."
        queries={[mismatches]}
      />
      <div className="filters">
        <div className="control">
          <span className="control-label" id="mismatch-status-label">
            Status
          </span>
          <div className="segmented" role="group" aria-labelledby="mismatch-status-label">
            {(['open', 'resolved'] as const).map((status) => (
              <button key={status} type="button" aria-pressed={search.status === status} onClick={() => setParams({ status })}>
                {status === 'open' ? 'Open' : 'Resolved'}
              </button>
            ))}
          </div>
        </div>
        <div className="control">
          <label htmlFor="mismatch-kind">Kind</label>
          <select id="mismatch-kind" value={search.kind ?? ''} onChange={(e) => setParams({ kind: e.target.value })}>
            <option value="">All kinds</option>
            {MISMATCH_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {MISMATCH_KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <QueryState
        query={mismatches}
        what="mismatches"
        isEmpty={(data) => data.pages[0].items.length === 0}
        empty={<p>{search.status === 'open' ? 'No open mismatches. Every outcome adds up.' : 'No resolved mismatches in this range.'}</p>}
      >
        {(data) => {
          const items = data.pages.flatMap((page) => page.items);
          const counts = data.pages[0].countsByKind.filter((entry) => entry.open > 0);
          return (
            <>
              {counts.length > 0 && (
                <ul className="chips" aria-label="Open mismatches by kind">
                  {counts.map((entry) => (
                    <li key={entry.kind} className="chip">
                      {MISMATCH_KIND_LABELS[entry.kind]} <strong>{formatCount(entry.open)}</strong>
                    </li>
                  ))}
                </ul>
              )}
              <MismatchGroups items={items} />
              <LoadMore
                shown={items.length}
                hasNextPage={mismatches.hasNextPage}
                isFetchingNextPage={mismatches.isFetchingNextPage}
                fetchNextPage={mismatches.fetchNextPage}
              />
            </>
          );
        }}
      </QueryState>
    </>
  );
}
