import { readFileSync } from 'node:fs';

/** A fenced code block of a Markdown file. */
export interface MarkdownCodeBlock {
  /** The fence's language (`ts`, `bash`, …), empty when none. */
  readonly lang: string;
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The paragraph right before the fence, its lines joined by spaces (a caption such as "`src/main.ts`: …"). */
  readonly before: string;
  /** The `## ` section the block is in, without the hashes. */
  readonly section: string;
}

/** Every fenced (```) code block of a Markdown file, in order. */
export function readCodeBlocks(path: string): MarkdownCodeBlock[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const blocks: MarkdownCodeBlock[] = [];
  let section = '';
  let paragraph: string[] = [];
  let paragraphEnded = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const fence = /^```(\S*)\s*$/.exec(line);
    if (!fence) {
      if (line.startsWith('## ')) section = line.slice(3).trim();
      if (line.trim() === '') paragraphEnded = true;
      else {
        if (paragraphEnded) paragraph = [];
        paragraphEnded = false;
        paragraph.push(line.trim());
      }
      continue;
    }
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && !/^```\s*$/.test(lines[index]); index++) body.push(lines[index]);
    blocks.push({ lang: fence[1], code: body.join('\n') + '\n', line: start + 1, before: paragraph.join(' '), section });
    paragraph = [];
  }
  return blocks;
}
