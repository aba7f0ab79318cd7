// The document-level UI pieces the App composes: lesson index, routes, import/export, reset,
// newer-version notice, shortcuts, theme.

import './documents.css';

export { LessonIndex, type LessonIndexProps } from './LessonIndex';
export { parseRoute, routeHash, lessonHref, useHashRoute, useHighlightCell, type Route } from './routes';
export { ImportButton, NotebookDropZone, type ImportHandlers, type NotebookDropZoneProps } from './ImportButton';
export { ExportButton, downloadText, type ExportButtonProps } from './ExportButton';
export { ResetCellButton, ResetLessonButton, EditedMark } from './ResetControls';
export { NewerVersionNotice } from './NewerVersionNotice';
export { ShortcutHelp } from './ShortcutHelp';
export { DarkModeToggle } from './DarkModeToggle';
export { useTheme, applyTheme, readThemeChoice, resolveTheme, type Theme, type ThemeChoice } from './theme';
export { useCommandModeKeys, isEditableTarget, type CommandHandlers } from './useCommandModeKeys';
export { interpretKey, SHORTCUTS, type Command } from './command-keys';
