/**
 * Splits streamed Markdown into top-level blocks (paragraphs, code fences, lists, tables …) with
 * `marked`'s lexer, so the page re-parses only the block that is still growing. A streamed
 * answer only ever grows at its end, so every block but the last is final once a later block
 * has begun: the next split re-lexes from the start of the last block only, and the cost of a
 * delta stays the size of one block, not of the whole answer.
 */
import { Lexer } from "marked";

export interface MarkdownBlocks {
  /** The text the blocks were split from. */
  text: string;
  /** Each block's Markdown source, blank lines between blocks left out. */
  blocks: string[];
  /** Where the last block starts in `text`: everything before it is final. */
  lastBlockStart: number;
  /** How many of `blocks` lie before `lastBlockStart`. */
  finalBlocks: number;
}

function lex(text: string, offset: number) {
  const blocks: { raw: string; start: number }[] = [];
  let position = offset;
  for (const token of Lexer.lex(text.slice(offset), { gfm: true })) {
    if (token.type !== "space") blocks.push({ raw: token.raw, start: position });
    position += token.raw.length;
  }
  return blocks;
}

export function splitMarkdownBlocks(text: string, previous?: MarkdownBlocks): MarkdownBlocks {
  const resume =
    previous !== undefined &&
    text.length >= previous.text.length &&
    text.startsWith(previous.text.slice(0, previous.lastBlockStart));
  const offset = resume ? previous.lastBlockStart : 0;
  const kept = resume ? previous.blocks.slice(0, previous.finalBlocks) : [];
  const tail = lex(text, offset);
  const last = tail.at(-1);
  return {
    text,
    blocks: [...kept, ...tail.map((block) => block.raw)],
    lastBlockStart: last ? last.start : offset,
    finalBlocks: kept.length + Math.max(0, tail.length - 1),
  };
}
