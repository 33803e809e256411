import type { Logger } from "../../logging/logger.js";
import type { PageSizeHolder } from "./paging.js";
import type { XapiTransport } from "./transport.js";

/** What every group of operations shares: the transport, the learned page size, the logger. */
export interface ClientContext {
  transport: XapiTransport;
  pages: PageSizeHolder;
  logger?: Logger;
}
