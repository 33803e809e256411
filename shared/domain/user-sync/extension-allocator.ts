/**
 * Picks extension numbers for new users: the first number at or above startingExtension that no
 * user, queue, ring group or other DN has, never reusing a taken number. Without a starting
 * extension the PBX picks (GetFirstAvailableExtensionNumber), so allocate() returns undefined.
 */
export class ExtensionAllocator {
  private readonly taken: Set<string>;
  private next: number | undefined;
  private readonly width: number;

  constructor(startingExtension: string | undefined, takenNumbers: Iterable<string>) {
    this.taken = new Set(takenNumbers);
    this.next = startingExtension === undefined ? undefined : Number(startingExtension);
    this.width = startingExtension?.length ?? 0;
  }

  allocate(): string | undefined {
    if (this.next === undefined) return undefined;
    let candidate = this.format(this.next);
    while (this.taken.has(candidate)) {
      this.next += 1;
      candidate = this.format(this.next);
    }
    this.taken.add(candidate);
    this.next += 1;
    return candidate;
  }

  /** Keeps leading zeros of the starting extension ("0100" -> "0101"). */
  private format(n: number): string {
    return String(n).padStart(this.width, "0");
  }
}
