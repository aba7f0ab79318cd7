// Hash routes, so the app works from any static host and the back button just works:
//   #/                        lesson index
//   #/lesson/<id>             a lesson (or an imported notebook, id "imported-…")
//   #/lesson/<id>/cell/<n>    the same, scrolled to cell n (1-based, as "Cell n" in messages) and highlighted
//   #/scratch                 the learner's own scratch notebook (also where browser tests load their cells)

import { useEffect, useState } from 'react';

export type Route = { page: 'index' } | { page: 'scratch' } | { page: 'lesson'; lessonId: string; cell?: number } | { page: 'not-found'; hash: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/?/, '/').replace(/\/+$/, '') || '/';
  if (path === '/') return { page: 'index' };
  if (path === '/scratch') return { page: 'scratch' };
  const m = /^\/lesson\/([^/]+)(?:\/cell\/(\d+))?$/.exec(path);
  if (!m) return { page: 'not-found', hash };
  let lessonId: string;
  try {
    lessonId = decodeURIComponent(m[1]);
  } catch {
    return { page: 'not-found', hash };
  }
  const cell = m[2] === undefined ? undefined : Number(m[2]);
  return cell !== undefined && cell >= 1 ? { page: 'lesson', lessonId, cell } : { page: 'lesson', lessonId };
}

export function routeHash(route: Route): string {
  switch (route.page) {
    case 'index':
      return '#/';
    case 'scratch':
      return '#/scratch';
    case 'lesson':
      return `#/lesson/${encodeURIComponent(route.lessonId)}${route.cell ? `/cell/${route.cell}` : ''}`;
    case 'not-found':
      return route.hash;
  }
}

export function lessonHref(lessonId: string, cell?: number): string {
  return routeHash({ page: 'lesson', lessonId, cell });
}

/** The current route, following hashchange (links, back and forward buttons). */
export function useHashRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    onChange();
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  // Assigning location.hash pushes a history entry, so Back returns to where the learner was.
  const navigate = (next: Route) => {
    window.location.hash = routeHash(next);
  };
  return [route, navigate];
}

/**
 * Scrolls the cell at `cell` (1-based) into view and marks it with data-highlighted for a moment.
 * `findCell(index)` maps a 0-based index to its element (the notebook view knows its DOM).
 */
export function useHighlightCell(cell: number | undefined, ready: boolean, findCell: (index: number) => HTMLElement | null, ms = 2500): void {
  useEffect(() => {
    if (!ready || cell === undefined) return;
    const el = findCell(cell - 1);
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.setAttribute('data-highlighted', 'true');
    const timer = setTimeout(() => el.removeAttribute('data-highlighted'), ms);
    return () => clearTimeout(timer);
    // findCell is left out on purpose: it is usually an inline arrow, and re-running per render would re-flash.
  }, [cell, ready, ms]);
}
