/** A hostile or broken server could page forever: stop after this many pages. */
const MAX_PAGES = 1_000;

/**
 * Collects every page of an MCP list request (`tools/list`, `resources/list`, ...), following
 * `nextCursor` until the server sends none.
 * @throws Error when the server keeps sending cursors past {@link MAX_PAGES} pages.
 */
export async function allPages<T>(
  fetchPage: (
    cursor: string | undefined,
  ) => Promise<{ items: readonly T[]; nextCursor?: string | undefined }>,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await fetchPage(cursor);
    out.push(...page.items);
    cursor = page.nextCursor;
    if (cursor === undefined) return out;
  }
  throw new Error(`the server sent more than ${MAX_PAGES} pages; stopped listing.`);
}
