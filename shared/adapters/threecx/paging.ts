/**
 * Reads a whole XAPI collection with $top/$skip (XAPI has no nextLink). The first page also
 * asks for $count, so the remaining pages are requested together (the transport still bounds
 * how many are in flight) instead of one round trip after another. The page size is the
 * largest the PBX serves: when it refuses a $top as too large, the page is halved and the
 * smaller size is kept for the rest of this client's life.
 */
import { z } from "zod";
import type { Logger } from "../../logging/logger.js";
import { ThreeCxError } from "../../ports/threecx.js";
import type { ODataQueryOptions, PathParams, XapiOperationId } from "./operations.js";
import type { XapiTransport } from "./transport.js";

export interface PageSizeHolder {
  pageSize: number;
}

const MIN_PAGE_SIZE = 10;

export async function readAll<T>(
  transport: XapiTransport,
  pages: PageSizeHolder,
  request: {
    operation: XapiOperationId;
    params?: PathParams;
    query?: Omit<ODataQueryOptions, "$top" | "$skip">;
  },
  item: z.ZodType<T>,
  logger?: Logger,
): Promise<T[]> {
  const collection = z.object({ "@odata.count": z.number().int().optional(), value: z.array(item) });
  const readPage = (top: number, skip: number, count: boolean) =>
    transport.call(
      { ...request, query: { ...request.query, $top: top, $skip: skip, ...(count ? { $count: true } : {}) } },
      (body) => collection.parse(body),
    );

  let top = pages.pageSize;
  let first: z.infer<typeof collection>;
  for (;;) {
    try {
      first = await readPage(top, 0, true);
      break;
    } catch (error) {
      const refusedTop = error instanceof ThreeCxError && error.status === 400 && error.target === "$top";
      if (!refusedTop || top <= MIN_PAGE_SIZE) throw error;
      top = Math.max(MIN_PAGE_SIZE, Math.floor(top / 2));
      pages.pageSize = Math.min(pages.pageSize, top);
      logger?.event("threecxPageSizeReduced", { operation: request.operation, to: top });
    }
  }
  const out = [...first.value];
  if (first.value.length < top) return out;

  const total = first["@odata.count"] ?? out.length;
  const skips: number[] = [];
  for (let skip = top; skip < total; skip += top) skips.push(skip);
  let last = first.value.length;
  for (const page of await Promise.all(skips.map((skip) => readPage(top, skip, false)))) {
    out.push(...page.value);
    last = page.value.length;
  }
  // More than counted and the last page full: entries were added while reading; read on.
  while (last === top && out.length > total) {
    const page = await readPage(top, out.length, false);
    out.push(...page.value);
    last = page.value.length;
  }
  return out;
}
