import { TimerBoundaryScheduler } from "../../../shared/adapters/memory/timer-boundary-scheduler.js";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import { type Delivery, describeBoundarySchedulerContract } from "./boundary-scheduler.contract.js";

describeBoundarySchedulerContract({
  name: "timers on the state store (the embedded runtime's)",
  open: async () => {
    const state = new SqliteStateStore(":memory:");
    const deliveries: Delivery[] = [];
    const scheduler = new TimerBoundaryScheduler(state, async ({ googleUserId, at }) => {
      deliveries.push({ googleUserId, at, receivedAt: Date.now() });
    });
    await scheduler.start();
    return {
      scheduler,
      deliveries,
      close: async () => {
        scheduler.close();
        await state.close();
      },
    };
  },
  latenessBudgetMs: 5_000,
});
