import { afterEach, describe, expect, it, vi } from "vitest";
import { TERMINATION_SIGNALS, watchTerminationSignals } from "../../../shared/cli/termination-signals.js";

/** Listeners are driven with process.emit, so no real signal reaches the test runner. */
describe("watchTerminationSignals", () => {
  const before = new Map(TERMINATION_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    for (const signal of TERMINATION_SIGNALS) {
      for (const listener of process.listeners(signal))
        if (!before.get(signal)?.includes(listener)) process.off(signal, listener);
    }
  });

  it("resolves with the first signal; the same request arriving again within a second is ignored", async () => {
    vi.useFakeTimers();
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const forced = vi.fn();
    const received = watchTerminationSignals(forced);
    process.emit("SIGTERM", "SIGTERM");
    vi.advanceTimersByTime(300);
    process.emit("SIGINT", "SIGINT");
    expect(await received).toBe("SIGTERM");
    expect(exit).not.toHaveBeenCalled();
    expect(forced).not.toHaveBeenCalled();
  });

  it("a signal more than a second after the first exits at once with 128 + its number", async () => {
    vi.useFakeTimers();
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const forced = vi.fn();
    const received = watchTerminationSignals(forced);
    process.emit("SIGINT", "SIGINT");
    expect(await received).toBe("SIGINT");
    vi.advanceTimersByTime(1500);
    process.emit("SIGINT", "SIGINT");
    expect(forced).toHaveBeenCalledWith("SIGINT");
    expect(exit).toHaveBeenCalledWith(130);
  });
});
