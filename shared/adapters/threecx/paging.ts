/**
 * Reads a whole XAPI collection with $top/$skip (XAPI has no nextLink). The page size is the
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
  const collection = z.object({ value: z.array(item) });
  const out: T[] = [];
  for (;;) {
    const top = pages.pageSize;
    let page: T[];
    try {
      page = await transport.call(
        { ...request, query: { ...request.query, $top: top, $skip: out.length } },
        (body) => collection.parse(body).value,
      );
    } catch (error) {
      const refusedTop = error instanceof ThreeCxError && error.status === 400 && error.target === "$top";
      if (!refusedTop || top <= MIN_PAGE_SIZE) throw error;
      pages.pageSize = Math.max(MIN_PAGE_SIZE, Math.floor(top / 2));
      logger?.event("threecxPageSizeReduced", {
        operation: request.operation,
        from: top,
        to: pages.pageSize,
      });
      continue;
    }
    out.push(...page);
    if (page.length < top) return out;
  }
}
