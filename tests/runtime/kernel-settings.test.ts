// QUICK in a cell reads the settings the page sent in its first message, whenever they arrived.
import { afterEach, describe, expect, it } from 'vitest';
import { createBuiltins } from '../../src/runtime/builtins';
import { setKernelSettings } from '../../src/runtime/kernel-settings';

const host = { display: () => 'd', updateDisplay: () => {}, print: () => {}, newDisplayId: () => 'd' };

describe('kernel settings', () => {
  afterEach(() => setKernelSettings(undefined));

  it('QUICK is false for a learner and true once the page asks for it, even after the builtins exist', () => {
    const builtins = createBuiltins({}, {}, host);
    expect(builtins.QUICK).toBe(false);
    setKernelSettings({ quick: true });
    expect(builtins.QUICK).toBe(true);
  });

  it('anything but a real true leaves QUICK off', () => {
    const builtins = createBuiltins({}, {}, host);
    for (const settings of [{ quick: 'yes' }, { quick: 1 }, null, {}]) {
      setKernelSettings(settings as never);
      expect(builtins.QUICK).toBe(false);
    }
  });
});
