import { chaosFindings } from '@tributary/testing/conformance';
import type { ChaosDeadLetter, ChaosReport } from '@tributary/testing/conformance';

const report = (letters: ChaosDeadLetter[], counts: Partial<ChaosReport> = {}): ChaosReport => ({
  transport: 'test',
  resolved: 10,
  rejected: 0,
  processed: 10,
  lost: 0,
  duplicates: 0,
  deadLettered: letters.length,
  deadLetterReasons: letters.map(l => l.reason).sort(),
  deadLetters: letters,
  ...counts,
});

const poison: ChaosDeadLetter = { kind: 'poison', reason: 'failed', type: 'Poison', errorName: 'Error' };
const malformed: ChaosDeadLetter = { kind: 'malformed', reason: 'malformed' };

describe('chaosFindings', () => {
  test('a clean run has none; a duplicated poison and Work events redelivered past maxAttempts after they were processed are at-least-once, not findings', () => {
    expect(chaosFindings(report([poison, malformed]))).toEqual([]);
    const redelivered: ChaosDeadLetter = { kind: 'redelivered', reason: 'failed', type: 'Work', errorName: 'MaxAttemptsExceededError', id: 'w-3' };
    expect(chaosFindings(report([poison, poison, malformed, redelivered]))).toEqual([]);
  });

  test('a loss, a missing poison or malformed letter, and any other dead letter are findings', () => {
    const findings = chaosFindings(
      report([{ kind: 'unexpected', reason: 'failed', type: 'Work', errorName: 'TypeError', id: 'w-1' }], { lost: 2, processed: 8 }),
    );
    expect(findings).toEqual([
      '2 resolved emits were never processed',
      '8 distinct ids processed, fewer than the 10 resolved emits',
      'the poison event was not dead-lettered',
      'the malformed bytes were not dead-lettered',
      'unexpected dead letter: {"kind":"unexpected","reason":"failed","type":"Work","errorName":"TypeError","id":"w-1"}',
    ]);
  });
});
