// Markdown helpers shared by scripts/check-docs.mjs and scripts/smoke.mjs.

/**
 * The fenced code blocks of a Markdown text: `{ lang, info, line, indent, code }` where `line`
 * is the 1-based line of the opening fence. Indented fences (inside list items) lose their
 * indent (`indent` characters).
 */
export const codeBlocks = text => {
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang, info] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^(\s*)(`{3,}|~{3,})\s*$/.exec(lines[j]);
      if (close && close[2][0] === fence[0] && close[2].length >= fence.length) break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    blocks.push({ lang: lang.toLowerCase(), info: info.trim(), line: i + 1, indent: indent.length, code: body.join('\n') });
    i = j;
  }
  return blocks;
};

/** The file a block names with `file=<path>` in its info string, if any. */
export const blockFile = block => /(?:^|\s)file=(\S+)/.exec(block.info)?.[1];
