import type { TransportCapabilities, TransportConformanceSetup } from '../TransportConformanceSetup';
import { ConformanceCase } from './ConformanceCase';
import type { JestApi } from './jest';

/** Every capability is assumed unless the setup says otherwise. */
export const DEFAULT_CAPABILITIES: TransportCapabilities = {
  persistence: true,
  competingConsumers: true,
  publish: true,
  manualAck: true,
  faultInjection: true,
  retryBackoff: true,
  orderAcrossInstances: false,
  redrive: true,
};

/** Why a capability that is off by default is off. */
const DEFAULT_REASONS: Partial<Record<keyof TransportCapabilities, string>> = {
  orderAcrossInstances: 'off by default: per-key order holds within an instance; across instances only where the broker routes by key (Kafka partitions)',
};

/** What each case group registers its cases with. */
export class ConformanceKit {
  readonly capabilities: TransportCapabilities;
  readonly timeoutMs: number;
  private current?: ConformanceCase;

  constructor(
    readonly name: string,
    readonly setup: TransportConformanceSetup,
    readonly jest: JestApi,
  ) {
    this.capabilities = { ...DEFAULT_CAPABILITIES, ...setup.capabilities };
    this.timeoutMs = setup.timeoutMs ?? 20_000;
  }

  get expect(): jest.Expect {
    return this.jest.expect;
  }

  /** Whether the transport has every capability in `needs`. */
  has(...needs: Array<keyof TransportCapabilities>): boolean {
    return needs.every(need => this.capabilities[need]);
  }

  /** Why a capability is off, as the setup said (or a generic sentence). */
  reason(capability: keyof TransportCapabilities): string {
    return this.setup.reasons?.[capability] ?? DEFAULT_REASONS[capability] ?? `the setup says the transport has no ${capability}`;
  }

  /**
   * Registers a case. When the transport lacks a capability in `needs`, the case is skipped
   * with the reason in its title, so the report says what was not proven and why.
   */
  test(title: string, needs: Array<keyof TransportCapabilities>, run: (c: ConformanceCase) => Promise<void>): void {
    const missing = needs.filter(need => !this.capabilities[need]);
    if (missing.length) {
      const why = missing.map(need => `${need}: false (${this.reason(need)})`).join('; ');
      this.jest.it.skip(`${title} [skipped: ${why}]`, () => undefined);
      return;
    }
    this.jest.it(
      title,
      async () => {
        const c = new ConformanceCase(this.setup, Math.round(this.timeoutMs * 0.6));
        this.current = c;
        await run(c);
      },
      this.timeoutMs,
    );
  }

  /** Closes what the current case opened (registered once, as afterEach). */
  async closeCurrent(): Promise<void> {
    const c = this.current;
    this.current = undefined;
    await c?.close();
  }
}
