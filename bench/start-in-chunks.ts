/** Runs `start(i)` for i in [0, count), `chunkSize` at a time (each chunk awaited as one Promise.all). */
export async function startInChunks(count: number, chunkSize: number, start: (index: number) => Promise<unknown>): Promise<void> {
  for (let offset = 0; offset < count; offset += chunkSize) {
    const size = Math.min(chunkSize, count - offset);
    await Promise.all(Array.from({ length: size }, (_, i) => start(offset + i)));
  }
}
