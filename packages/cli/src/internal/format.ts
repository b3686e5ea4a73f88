import type { DeadLetter } from '@tributary/messaging';

/** `42s`, `5m`, `3h`, `2d`; `-` when unknown. */
export const age = (deadLetteredAt: number | undefined, now: number): string => {
  if (deadLetteredAt === undefined) return '-';
  const s = Math.max(0, Math.round((now - deadLetteredAt) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
};

const clip = (text: string, width: number): string => (text.length <= width ? text : `${text.slice(0, width - 1)}…`);

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The dead letters as a table: id, type, reason, error, attempts, age. */
export const table = (letters: readonly DeadLetter[], now: number): string => {
  const rows = letters.map(letter => [
    clip(letter.id, 40),
    clip(letter.type ?? '-', 32),
    letter.reason ?? '-',
    clip(oneLine([letter.errorName, letter.errorMessage].filter(Boolean).join(': ') || '-'), 60),
    letter.attempts === undefined ? '-' : String(letter.attempts),
    age(letter.deadLetteredAt, now),
  ]);
  const header = ['ID', 'TYPE', 'REASON', 'ERROR', 'ATTEMPTS', 'AGE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(row => row[i].length)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
};

const body = (data: unknown): unknown => {
  if (Buffer.isBuffer(data)) {
    const text = data.toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return data;
};

/** A dead letter for `--json`: every field, the age in ms, and the body (parsed when it is JSON). */
export const toJson = (letter: DeadLetter, now: number): Record<string, unknown> => ({
  id: letter.id,
  messageId: letter.messageId,
  type: letter.type,
  reason: letter.reason,
  errorName: letter.errorName,
  errorMessage: letter.errorMessage,
  attempts: letter.attempts,
  headers: letter.headers,
  deadLetteredAt: letter.deadLetteredAt,
  ageMs: letter.deadLetteredAt === undefined ? undefined : now - letter.deadLetteredAt,
  source: letter.source,
  body: body(letter.data),
});
