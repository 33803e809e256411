/** One page of a list call whose last page carries a sync token (Calendar events.list, People connections.list). */
export interface SyncTokenPage<T> {
  items: T[];
  nextPageToken?: string | null;
  nextSyncToken?: string | null;
}

/**
 * Reads page after page to the end. The last page must carry the token for the next incremental
 * read; a listing without one could never be followed up, so it is an error (`missingSyncToken`).
 */
export async function readToSyncToken<T>(
  readPage: (pageToken: string | undefined) => Promise<SyncTokenPage<T>>,
  missingSyncToken: () => Error,
): Promise<{ items: T[]; nextSyncToken: string }> {
  const items: T[] = [];
  let pageToken: string | undefined;
  for (;;) {
    const page = await readPage(pageToken);
    items.push(...page.items);
    pageToken = page.nextPageToken ?? undefined;
    if (pageToken) continue;
    if (!page.nextSyncToken) throw missingSyncToken();
    return { items, nextSyncToken: page.nextSyncToken };
  }
}
