import type { DownloadView } from '../../protocol';

function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The worker cannot click a link, so files it made (e.g. a trained model) are offered as buttons here. */
function save(file: DownloadView['files'][number]): void {
  const url = URL.createObjectURL(new Blob([base64ToBytes(file.base64)], { type: file.mimeType || 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function DownloadOutput({ download }: { download: DownloadView }) {
  return (
    <div className="output-download">
      <span>{download.label}</span>
      {download.files.map((file) => (
        <button key={file.filename} type="button" onClick={() => save(file)}>
          Download {file.filename}
        </button>
      ))}
    </div>
  );
}
