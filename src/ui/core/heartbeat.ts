// Jupyter's heartbeat, page side: pings on a channel of its own that the kernel's worker echoes whenever its event
// loop turns. A worker that has died (closed, crashed, terminated) sends no error event and no message ever again, and
// one stuck in code that never yields looks the same from here: either way the pings stop coming back, and the page
// can say so within HEARTBEAT_LAPSE_MS instead of showing an idle kernel that will never run anything.

/** The page's end of the heartbeat channel. */
export interface HeartbeatPort {
  ping(n: number): void;
  onPong(listener: () => void): void;
}

export const HEARTBEAT_EVERY_MS = 250;
/** A ping unanswered for longer: the kernel is not responding (with HEARTBEAT_EVERY_MS, said within 1.75 s). */
export const HEARTBEAT_LAPSE_MS = 1250;

export interface HeartbeatClock {
  now(): number;
  every(ms: number, tick: () => void): () => void;
}

const realClock: HeartbeatClock = {
  now: () => performance.now(),
  every: (ms, tick) => {
    const id = setInterval(tick, ms);
    return () => clearInterval(id);
  },
};

export class Heartbeat {
  /** When the oldest ping still unanswered went out; null when every ping came back. */
  private waitingSince: number | null = null;
  private responding = true;
  private sent = 0;
  private lastTick = 0;
  private stopTicking: (() => void) | null = null;

  constructor(
    private readonly port: HeartbeatPort,
    /** Called when the kernel stops answering (false) and when it answers again (true). */
    private readonly onChange: (responding: boolean) => void,
    private readonly clock: HeartbeatClock = realClock,
  ) {
    port.onPong(() => {
      this.waitingSince = null;
      if (this.stopTicking && !this.responding) {
        this.responding = true;
        this.onChange(true);
      }
    });
  }

  /** Starts judging (once the kernel is ready: before that the worker is still loading and cannot answer). */
  start(): void {
    if (this.stopTicking) return;
    this.waitingSince = null;
    this.lastTick = this.clock.now();
    this.stopTicking = this.clock.every(HEARTBEAT_EVERY_MS, () => this.tick());
  }

  stop(): void {
    this.stopTicking?.();
    this.stopTicking = null;
  }

  private tick(): void {
    const now = this.clock.now();
    // A tick that comes late means this page was the one held up (a long render, a throttled background tab), and
    // the echo may be waiting behind this very tick: the silence is timed afresh from here, never blamed on the kernel.
    if (now - this.lastTick > 2 * HEARTBEAT_EVERY_MS && this.waitingSince !== null) this.waitingSince = now;
    this.lastTick = now;
    this.waitingSince ??= now;
    this.port.ping(++this.sent);
    if (this.responding && this.waitingSince !== null && now - this.waitingSince > HEARTBEAT_LAPSE_MS) {
      this.responding = false;
      this.onChange(false);
    }
  }
}
