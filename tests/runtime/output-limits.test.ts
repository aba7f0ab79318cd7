import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { droppedNote, limitStreams, type StreamLimits } from '../../src/runtime/output-limits';
import type { KernelToPage } from '../../src/protocol';

const LIMITS: StreamLimits = { messageMaxChars: 10, runMaxChars: 25, flushMs: 16 };

function recorder() {
  const sent: KernelToPage[] = [];
  return { sent, post: limitStreams((m) => sent.push(m), LIMITS) };
}

const stream = (text: string, parent_id = 'run-1', name: 'stdout' | 'stderr' = 'stdout'): KernelToPage => ({ msg_type: 'stream', parent_id, content: { name, text } });
const texts = (sent: KernelToPage[]) => sent.map((m) => (m.msg_type === 'stream' ? `${m.parent_id}/${m.content.name}:${m.content.text}` : m.msg_type));

describe('limitStreams (issue 15, case 13: big outputs)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('coalesces a burst of prints into one message, sent after a short pause', () => {
    const { sent, post } = recorder();
    for (const t of ['a\n', 'b\n', 'c\n']) post(stream(t));
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(LIMITS.flushMs);
    expect(texts(sent)).toEqual(['run-1/stdout:a\nb\nc\n']);
  });

  it('sends buffered text before any other message, so the order of outputs is kept', () => {
    const { sent, post } = recorder();
    post(stream('x'));
    post(stream('e', 'run-1', 'stderr'));
    post({ msg_type: 'execute_reply', parent_id: 'run-1', content: { status: 'ok', execution_count: 1 } });
    post(stream('y', 'run-2'));
    vi.advanceTimersByTime(LIMITS.flushMs);
    expect(texts(sent)).toEqual(['run-1/stdout:x', 'run-1/stderr:e', 'execute_reply', 'run-2/stdout:y']);
  });

  it('never sends more than messageMaxChars in one message', () => {
    const { sent, post } = recorder();
    post(stream('0123456789abcdefghij012'));
    vi.advanceTimersByTime(LIMITS.flushMs);
    expect(texts(sent)).toEqual(['run-1/stdout:0123456789', 'run-1/stdout:abcdefghij', 'run-1/stdout:012']);
  });

  it('caps what one run prints and says so once; other runs still print', () => {
    const { sent, post } = recorder();
    for (let i = 0; i < 5; i++) post(stream('123456789\n'));
    post(stream('other', 'run-2'));
    vi.advanceTimersByTime(LIMITS.flushMs);
    const run1 = sent.filter((m) => m.parent_id === 'run-1').map((m) => (m.msg_type === 'stream' ? m.content.text : '')).join('');
    expect(run1).toBe('123456789\n'.repeat(2) + '12345' + droppedNote(LIMITS.runMaxChars));
    expect(texts(sent).at(-1)).toBe('run-2/stdout:other');
  });
});
