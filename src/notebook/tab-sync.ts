// Tabs of this app tell each other when they saved a notebook, so that a second tab on the same notebook learns of
// it at once: it follows the change when it has nothing unsaved, and says so when it has (issue 15, case 19). The
// storage's revision check is what guarantees no silent overwrite; this channel only makes the notice prompt.
import { isRecord } from './saved-record';

/** Another tab wrote (a revision) or removed (null) the saved copy of a notebook. */
export interface SavedNotice {
  id: string;
  revision: string | null;
}

export interface TabChannel {
  post(notice: SavedNotice): void;
  listen(onNotice: (notice: SavedNotice) => void): void;
  close(): void;
}

export const TAB_CHANNEL_NAME = 'convlab-notebooks';

function isNotice(value: unknown): value is SavedNotice {
  return isRecord(value) && typeof value.id === 'string' && (value.revision === null || typeof value.revision === 'string');
}

/** A BroadcastChannel between this origin's tabs, or null where there is none. */
export function tabChannel(name = TAB_CHANNEL_NAME): TabChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  const channel = new BroadcastChannel(name);
  return {
    post: (notice) => {
      try {
        channel.postMessage(notice);
      } catch {
        // A closed channel (the page is going away): the revision check still protects the record.
      }
    },
    listen: (onNotice) => {
      channel.onmessage = (event: MessageEvent) => {
        if (isNotice(event.data)) onNotice(event.data);
      };
    },
    close: () => channel.close(),
  };
}
