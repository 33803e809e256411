/**
 * Gives out extension numbers for new users, all of a run's from one starting point: the first
 * number at or above `start` that no user, queue, ring group or other DN holds and that this
 * allocator has not handed out already. `start` is the startingExtension setting, or else the
 * number the PBX named as its first available (asked once per run): asking the PBX once per new
 * user would give every create that runs at the same time the same number.
 */
export class ExtensionAllocator {
  private readonly taken: Set<string>;
  private next: number;
  private readonly width: number;

  constructor(start: string, takenNumbers: Iterable<string>) {
    if (!/^\d+$/.test(start))
      throw new RangeError(`an extension number must be digits only, got ${JSON.stringify(start)}`);
    this.taken = new Set(takenNumbers);
    this.next = Number(start);
    this.width = start.length;
  }

  allocate(): string {
    let candidate = this.format(this.next);
    while (this.taken.has(candidate)) {
      this.next += 1;
      candidate = this.format(this.next);
    }
    this.taken.add(candidate);
    this.next += 1;
    return candidate;
  }

  /**
   * The next number after `refused`, which the PBX said is in use (another admin or a concurrent
   * worker took it after it was read): never handed out again, and the search goes on past it.
   */
  allocateAfterRefusal(refused: string): string {
    this.taken.add(refused);
    return this.allocate();
  }

  /** Keeps leading zeros of the starting number ("0100" -> "0101"). */
  private format(n: number): string {
    return String(n).padStart(this.width, "0");
  }
}
