// What the page must tell the learner about the open document: a newer lesson version, storage that could
// not be read or written, another tab's change, warnings from an import, or a link to a notebook that does not
// exist here.
import { NewerVersionNotice } from '../documents/NewerVersionNotice';
import type { DocumentSession } from '../documents/useDocument';

export interface DocumentNoticesProps {
  doc: DocumentSession;
  title: string;
  importWarnings: string[];
  onDismissImportWarnings(): void;
  /** Downloads the open notebook as it is in this tab (for when the browser cannot store it). */
  onExport(): void;
}

export function DocumentNotices({ doc, title, importWarnings, onDismissImportWarnings, onExport }: DocumentNoticesProps) {
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
      {state.status === 'open' && doc.storageProblem && (
        <div className="banner warning" role="alert" aria-label="Edits not saved">
          <strong>Your edits are not being saved in this browser.</strong> {doc.storageProblem} They are kept in this tab until you close it; export
          the notebook to keep a copy.{' '}
          <button type="button" onClick={onExport}>
            Export a copy
          </button>
        </div>
      )}
      {state.status === 'open' && doc.conflict && (
        <div className="banner warning" role="alert" aria-label="Changed in another tab">
          <strong>This notebook was changed in another tab.</strong> Your edits here are not saved yet; choose which version to keep.{' '}
          <button type="button" onClick={() => void doc.resolveConflict('theirs')}>
            Use the other tab’s version
          </button>{' '}
          <button type="button" onClick={() => void doc.resolveConflict('mine')}>
            Keep this tab’s version
          </button>
        </div>
      )}
      {state.status === 'open' && state.warning && (
        <div className="banner warning" role="alert">
          {state.warning}{' '}
          {state.asideKey && (
            <button type="button" onClick={() => void doc.downloadAside()}>
              Download the unreadable copy
            </button>
          )}{' '}
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
