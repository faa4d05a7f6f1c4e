import { CommitBacklogFullError, GroupCommitQueue, ItemFailure } from './group-commit-queue';

describe('GroupCommitQueue', () => {
  it('settles 200,000 waiting items without an unhandled rejection, in batches of at most maxBatchSize', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let largest = 0;
      const queue = new GroupCommitQueue<number, number>(
        async (items) => {
          largest = Math.max(largest, items.length);
          await new Promise((resolve) => setImmediate(resolve));
          return items.map((item) => item * 2);
        },
        { maxBatchSize: 256, maxConcurrentFlushes: 2 },
      );
      const results = await Promise.all(Array.from({ length: 200_000 }, (_, index) => queue.submit(index)));
      expect(results).toHaveLength(200_000);
      expect(results.every((result, index) => result === index * 2)).toBe(true);
      expect(largest).toBe(256);
      expect(queue.size).toBe(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  }, 60_000);

  it('never puts two items with one key in a flush, and keeps their order', async () => {
    const flushed: string[][] = [];
    const queue = new GroupCommitQueue<string, string>(
      async (items) => {
        flushed.push([...items]);
        return items;
      },
      { maxBatchSize: 10, maxConcurrentFlushes: 1 },
      (item) => item.split(':')[0],
    );
    await Promise.all(['a:1', 'a:2', 'b:1', 'a:3', 'c:1', 'b:2'].map((item) => queue.submit(item)));
    for (const batch of flushed) expect(new Set(batch.map((item) => item.split(':')[0])).size).toBe(batch.length);
    const order = flushed.flat();
    expect(order.filter((item) => item.startsWith('a:'))).toEqual(['a:1', 'a:2', 'a:3']);
    expect(order.filter((item) => item.startsWith('b:'))).toEqual(['b:1', 'b:2']);
  });

  it('refuses items beyond maxWaiting with COMMIT_BACKLOG_FULL (back pressure)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const queue = new GroupCommitQueue<number, number>(
      async (items) => {
        await gate;
        return items;
      },
      { maxBatchSize: 2, maxConcurrentFlushes: 1, maxWaiting: 3 },
    );
    // 1 is being flushed; 2, 3 and 4 wait.
    const accepted = [1, 2, 3, 4].map((item) => queue.submit(item));
    await expect(queue.submit(5)).rejects.toMatchObject({ code: 'COMMIT_BACKLOG_FULL' });
    await expect(queue.submit(6)).rejects.toBeInstanceOf(CommitBacklogFullError);
    release();
    await expect(Promise.all(accepted)).resolves.toEqual([1, 2, 3, 4]);
    await expect(queue.submit(8)).resolves.toBe(8);
  });

  it('fails only the item a flush reports as failed', async () => {
    const queue = new GroupCommitQueue<number, number>(
      async (items) => items.map((item) => (item === 2 ? new ItemFailure(new Error('refused')) : item)),
      { maxBatchSize: 10, maxConcurrentFlushes: 1 },
    );
    const results = await Promise.allSettled([1, 2, 3].map((item) => queue.submit(item)));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
