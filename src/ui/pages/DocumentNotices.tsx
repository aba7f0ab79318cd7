// What the page must tell the learner about the open document: a newer lesson version, storage that could
// not be read, warnings from an import, or a link to a notebook that does not exist here.
import { NewerVersionNotice } from '../documents/NewerVersionNotice';
import type { DocumentSession } from '../documents/useDocument';

export interface DocumentNoticesProps {
  doc: DocumentSession;
  title: string;
  importWarnings: string[];
  onDismissImportWarnings(): void;
}

export function DocumentNotices({ doc, title, importWarnings, onDismissImportWarnings }: DocumentNoticesProps) {
  const { state } = doc;
  return (
    <div className="banners" aria-live="polite">
      {state.status === 'missing' && (
        <div className="banner error" role="alert">
          <strong>There is no notebook “{state.id}” in this browser.</strong> It may have been imported in another browser or removed.{' '}
          <a href="#/">Go to the lessons</a>
        </div>
      )}
      {state.status === 'open' && state.newerVersion && (
        <NewerVersionNotice lessonTitle={title} onTakeNewer={() => void doc.takeNewerVersion()} onDismiss={doc.dismissNewerVersion} />
      )}
      {state.status === 'open' && state.warning && (
        <div className="banner warning" role="alert">
          {state.warning}{' '}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={doc.dismissWarning}>
            ×
          </button>
        </div>
      )}
      {importWarnings.length > 0 && (
        <div className="banner info" role="region" aria-label="Import notes">
          <strong>Imported, with notes:</strong>
          <ul>
            {importWarnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismissImportWarnings}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
