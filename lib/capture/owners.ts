/**
 * Who wrote which lines of a sink shared by several wrapped functions, in line order, as runs
 * (owner, count): consecutive lines of one owner take one run, so a function writing in bursts
 * costs a few numbers, not one per line.
 */
export class Runs {
  /** Flat pairs from `head` on: owner, count, owner, count, ... */
  private data: number[] = [];
  private head = 0;
  /** Lines held. */
  lines = 0;

  static of(owner: number, count: number): Runs {
    const runs = new Runs();
    runs.push(owner, count);
    return runs;
  }

  /** Adds `count` lines of `owner` at the end. */
  push(owner: number, count: number): void {
    if (count <= 0) return;
    this.lines += count;
    const last = this.data.length - 2;
    if (last >= this.head && this.data[last] === owner) this.data[last + 1]! += count;
    else this.data.push(owner, count);
  }

  /** Adds every line of `other` at the end. */
  append(other: Runs): void {
    other.forEach((owner, count) => this.push(owner, count));
  }

  /** Removes the first `count` lines and returns their runs. */
  shift(count: number): Runs {
    const taken = new Runs();
    while (count > 0 && this.head < this.data.length) {
      const owner = this.data[this.head]!;
      const size = this.data[this.head + 1]!;
      const take = Math.min(size, count);
      taken.push(owner, take);
      this.lines -= take;
      count -= take;
      if (take === size) this.head += 2;
      else this.data[this.head + 1] = size - take;
    }
    // Drop consumed pairs now and then, so the array does not only grow.
    if (this.head === this.data.length) this.clear();
    else if (this.head > 1024 && this.head * 2 > this.data.length) {
      this.data = this.data.slice(this.head);
      this.head = 0;
    }
    return taken;
  }

  /** The runs of the last `count` lines (all of them if fewer), without removing them. */
  last(count: number): Runs {
    const pairs: Array<[number, number]> = [];
    for (let at = this.data.length - 2; at >= this.head && count > 0; at -= 2) {
      const take = Math.min(this.data[at + 1]!, count);
      pairs.push([this.data[at]!, take]);
      count -= take;
    }
    const taken = new Runs();
    for (let i = pairs.length - 1; i >= 0; i--) taken.push(pairs[i]![0], pairs[i]![1]);
    return taken;
  }

  forEach(visit: (owner: number, count: number) => void): void {
    for (let at = this.head; at < this.data.length; at += 2) visit(this.data[at]!, this.data[at + 1]!);
  }

  /** Lines per owner, in the order owners first appear. */
  counts(): Map<number, number> {
    const counts = new Map<number, number>();
    this.forEach((owner, count) => counts.set(owner, (counts.get(owner) ?? 0) + count));
    return counts;
  }

  clear(): void {
    this.data = [];
    this.head = 0;
    this.lines = 0;
  }
}
