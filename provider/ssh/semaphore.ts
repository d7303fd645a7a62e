/** A counting semaphore: bounds concurrent channels per connection. */
export class Semaphore {
  private waiting: (() => void)[] = [];
  private used = 0;
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error("semaphore limit must be a positive integer");
  }

  get inUse(): number {
    return this.used;
  }

  async acquire(): Promise<() => void> {
    if (this.used >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.used++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next)
        next(); // the slot passes straight to the next waiter
      else this.used--;
    };
  }
}
