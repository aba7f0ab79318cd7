// A two-state switch over useTheme: pressed = dark. The first click leaves "follow the system" for good
// (until storage is cleared), as learners expect from a toggle.

import { useTheme } from './theme';

export function DarkModeToggle() {
  const { theme, setChoice } = useTheme();
  const dark = theme === 'dark';
  return (
    <button type="button" className="dark-mode-toggle" aria-pressed={dark} onClick={() => setChoice(dark ? 'light' : 'dark')}>
      Dark mode
    </button>
  );
}
