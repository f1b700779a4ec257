/**
 * Runs `task` for every item with at most `limit` tasks in flight and resolves with the results
 * in input order (not completion order). Rejects with the first failure; tasks not yet started
 * are then never started. `limit` must be at least 1.
 */
export function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (items.length <= limit) return Promise.all(items.map(task));
  return new Promise<R[]>((resolve, reject) => {
    const results = new Array<R>(items.length);
    let next = 0;
    let done = 0;
    let failed = false;
    const startNext = (): void => {
      if (failed) return;
      if (done === items.length) {
        resolve(results);
        return;
      }
      if (next >= items.length) return;
      const index = next++;
      let pending: Promise<R>;
      try {
        pending = task(items[index] as T, index);
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (value) => {
          results[index] = value;
          done++;
          startNext();
        },
        (error: unknown) => {
          failed = true;
          reject(error);
        },
      );
    };
    for (let i = 0; i < limit; i++) startNext();
  });
}
