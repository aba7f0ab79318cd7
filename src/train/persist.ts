// Keeping trained weights: in the browser's IndexedDB (survives reloads), or as model.json + weights.bin
// downloads in the layout tfjs.loadLayersModel() and tensorflowjs_converter read.
import * as tf from '@tensorflow/tfjs';
import type { DownloadView, MimeBundle } from '../protocol';
import { toBase64 } from '../plots/png';
import { checkModel } from './check-args';

const PREFIX = 'indexeddb://convlab-';

function urlFor(name: string): string {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`Model name "${name}": use letters, digits, '.', '_' or '-'`);
  return PREFIX + name;
}

export interface SavedModelInfo {
  name: string;
  url: string;
  dateSaved: Date;
  bytes: number;
}

class Saved {
  constructor(readonly info: SavedModelInfo) {}
  toMimeBundle(): MimeBundle {
    const i = this.info;
    return { 'text/plain': `Saved "${i.name}" to ${i.url} (${(i.bytes / 1e6).toFixed(2)} MB, ${i.dateSaved.toLocaleString()}); load it with await train.loadModel('${i.name}')` };
  }
}

export async function saveModel(model: tf.LayersModel, name: string): Promise<Saved> {
  checkModel('train.saveModel', model);
  const url = urlFor(name);
  const result = await model.save(url);
  const info = result.modelArtifactsInfo;
  return new Saved({ name, url, dateSaved: info.dateSaved, bytes: (info.weightDataBytes ?? 0) + (info.modelTopologyBytes ?? 0) });
}

export async function loadModel(name: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(urlFor(name));
}

export async function deleteModel(name: string): Promise<void> {
  await tf.io.removeModel(urlFor(name));
}

export class SavedModelList {
  constructor(readonly models: SavedModelInfo[]) {}
  toMimeBundle(): MimeBundle {
    const rows = this.models.map((m) => [m.name, m.dateSaved.toISOString().replace('T', ' ').slice(0, 19), +(m.bytes / 1e6).toFixed(3)]);
    return {
      'application/vnd.convlab.table+json': { caption: `${this.models.length} saved model(s) in this browser`, columns: ['name', 'saved', 'MB'], rows },
      'text/plain': this.models.map((m) => `${m.name}  ${m.dateSaved.toISOString()}  ${m.bytes} bytes`).join('\n') || 'No saved models',
    };
  }
}

/** The models this app saved, newest first. */
export async function listModels(): Promise<SavedModelList> {
  const all = await tf.io.listModels();
  const models = Object.entries(all)
    .filter(([url]) => url.startsWith(PREFIX))
    .map(([url, info]) => ({ name: url.slice(PREFIX.length), url, dateSaved: new Date(info.dateSaved), bytes: (info.weightDataBytes ?? 0) + (info.modelTopologyBytes ?? 0) }))
    .sort((a, b) => b.dateSaved.getTime() - a.dateSaved.getTime());
  return new SavedModelList(models);
}

export interface ExportedFiles {
  modelJson: string;
  weights: Uint8Array;
  weightsFile: string;
}

function joinWeights(data: tf.io.WeightData | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  if (Array.isArray(data)) return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
  return new Uint8Array(data);
}

/** Serialises a model into tfjs's layers format (model.json + one weights file) without touching storage. */
export async function serializeModel(model: tf.LayersModel, name = 'model'): Promise<ExportedFiles> {
  const weightsFile = `${name}.weights.bin`;
  let files: ExportedFiles | null = null;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weights = joinWeights(artifacts.weightData);
    const modelJson = JSON.stringify({
      modelTopology: artifacts.modelTopology,
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths: [`./${weightsFile}`], weights: artifacts.weightSpecs ?? [] }],
    });
    files = { modelJson, weights, weightsFile };
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  }));
  if (!files) throw new Error('serializeModel: the save handler was never called');
  return files;
}

/** Rebuilds a model from serializeModel's output (e.g. to check an export, or files a learner uploads). */
export async function deserializeModel(files: ExportedFiles): Promise<tf.LayersModel> {
  const json = JSON.parse(files.modelJson) as { modelTopology: object; weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }> };
  const w = files.weights;
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) as ArrayBuffer,
  }));
}

export class ModelDownload {
  constructor(readonly files: ExportedFiles, readonly name: string) {}
  toMimeBundle(): MimeBundle {
    const view: DownloadView = {
      label: `Download "${this.name}" (model.json + ${(this.files.weights.byteLength / 1e6).toFixed(2)} MB of weights)`,
      files: [
        { filename: `${this.name}.json`, mimeType: 'application/json', base64: toBase64(new TextEncoder().encode(this.files.modelJson)) },
        { filename: this.files.weightsFile, mimeType: 'application/octet-stream', base64: toBase64(this.files.weights) },
      ],
    };
    return {
      'application/vnd.convlab.download+json': view,
      'text/plain': `${view.label}. Convert for Keras with: tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras ${this.name}.json ${this.name}.h5`,
    };
  }
}

/** `train.exportModel(model, 'densenet')` as a cell's last line offers model.json + weights as downloads. */
export async function exportModel(model: tf.LayersModel, name = 'model'): Promise<ModelDownload> {
  checkModel('train.exportModel', model);
  if (!/^[\w.-]+$/.test(name)) throw new Error(`Export name "${name}": use letters, digits, '.', '_' or '-'`);
  return new ModelDownload(await serializeModel(model, name), name);
}
