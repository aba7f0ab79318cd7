// Pure logic behind src/ui/documents (routes, command-mode keys, theme choice); components are covered by e2e.
import { describe, expect, it } from 'vitest';
import { DOUBLE_KEY_MS, INITIAL_KEY_STATE, interpretKey, SHORTCUTS, type KeyState } from '../../src/ui/documents/command-keys';
import { lessonHref, parseRoute, routeHash } from '../../src/ui/documents/routes';
import { readThemeChoice, resolveTheme } from '../../src/ui/documents/theme';

describe('routes', () => {
  it.each([
    ['', { page: 'index' }],
    ['#', { page: 'index' }],
    ['#/', { page: 'index' }],
    ['#/scratch', { page: 'scratch' }],
    ['#/lesson/welcome', { page: 'lesson', lessonId: 'welcome' }],
    ['#/lesson/welcome/', { page: 'lesson', lessonId: 'welcome' }],
    ['#/lesson/welcome/cell/3', { page: 'lesson', lessonId: 'welcome', cell: 3 }],
    ['#/lesson/imported-ab12/cell/0', { page: 'lesson', lessonId: 'imported-ab12' }],
    ['#/lesson/a%20b', { page: 'lesson', lessonId: 'a b' }],
    ['#/lesson/%E0%A4%A', { page: 'not-found', hash: '#/lesson/%E0%A4%A' }],
    ['#/nowhere', { page: 'not-found', hash: '#/nowhere' }],
  ])('%j parses', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('formats what it parses', () => {
    for (const hash of ['#/', '#/scratch', '#/lesson/welcome', '#/lesson/welcome/cell/3']) expect(routeHash(parseRoute(hash))).toBe(hash);
    expect(lessonHref('a b', 2)).toBe('#/lesson/a%20b/cell/2');
  });
});

describe('command-mode keys', () => {
  const press = (key: string, extra: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }> = {}, editing = false, state: KeyState = INITIAL_KEY_STATE, now = 1000) =>
    interpretKey({ key, ...extra }, editing, state, now);

  it('maps the Jupyter keys', () => {
    const table: Array<[string, string]> = [
      ['a', 'insertAbove'], ['b', 'insertBelow'], ['m', 'toMarkdown'], ['y', 'toCode'], ['z', 'undoDelete'],
      ['ArrowUp', 'selectPrevious'], ['k', 'selectPrevious'], ['ArrowDown', 'selectNext'], ['j', 'selectNext'],
      ['Enter', 'edit'], ['Escape', 'commandMode'], ['?', 'help'],
    ];
    for (const [key, command] of table) expect(press(key).command, key).toBe(command);
    expect(press('Enter', { shiftKey: true }).command).toBe('runAndAdvance');
    expect(press('Enter', { ctrlKey: true }).command).toBe('run');
    expect(press('Enter', { metaKey: true }).command).toBe('run');
  });

  it('deletes only on two D presses close together', () => {
    const first = press('d', {}, false, INITIAL_KEY_STATE, 1000);
    expect(first.command).toBeNull();
    expect(press('d', {}, false, first.state, 1000 + DOUBLE_KEY_MS - 1).command).toBe('delete');
    expect(press('d', {}, false, first.state, 1000 + DOUBLE_KEY_MS + 1).command).toBeNull();
    // Another key in between cancels the pending D.
    const between = press('x', {}, false, first.state, 1100);
    expect(press('d', {}, false, between.state, 1200).command).toBeNull();
  });

  it('in an editor only Esc and the run keys mean anything', () => {
    for (const key of ['a', 'b', 'd', 'm', 'y', 'z', 'Enter', 'ArrowUp', '?']) expect(press(key, {}, true).command, key).toBeNull();
    expect(press('Escape', {}, true).command).toBe('commandMode');
    expect(press('Enter', { shiftKey: true }, true).command).toBe('runAndAdvance');
  });

  it('leaves browser shortcuts alone', () => {
    expect(press('a', { ctrlKey: true }).command).toBeNull();
    expect(press('z', { metaKey: true }).command).toBeNull();
    expect(press('A', { shiftKey: true }).command).toBeNull();
  });
});

describe('theme choice', () => {
  it('follows the system until a choice is stored', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
  });

  it('reads only valid stored values, and survives blocked storage', () => {
    expect(readThemeChoice({ getItem: () => 'dark' })).toBe('dark');
    expect(readThemeChoice({ getItem: () => 'purple' })).toBe('system');
    expect(readThemeChoice({ getItem: () => { throw new Error('blocked'); } })).toBe('system');
    expect(readThemeChoice(undefined)).toBe('system');
  });
});

describe('the shortcut list is the key map', () => {
  it('every row of the help, pressed as it says, gives its command', () => {
    for (const s of SHORTCUTS) {
      if (!s.command) continue;
      for (const key of s.keys) {
        const event = { key, ctrlKey: s.modifier === 'ctrl', shiftKey: s.modifier === 'shift' || key === '?' };
        const first = interpretKey(event, false, INITIAL_KEY_STATE, 1000);
        const outcome = s.double ? interpretKey(event, false, first.state, 1100) : first;
        expect(outcome.command, `${s.label} (${key})`).toBe(s.command);
        if (s.mode === 'both') expect(interpretKey(event, true, INITIAL_KEY_STATE, 1000).command, `${s.label} while editing`).toBe(s.command);
      }
    }
  });
});
