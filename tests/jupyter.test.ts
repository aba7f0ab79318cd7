// ConvLab's shapes against Jupyter's types (src/jupyter.ts). These are compile-time checks: `npx tsc` fails this
// file when a message stops being Jupyter's, or when the check itself stops rejecting a drift (@ts-expect-error).
import type * as nbformat from '@jupyterlab/nbformat';
import type { KernelMessage } from '@jupyterlab/services';
import { describe, expectTypeOf, it } from 'vitest';
import type { Jupyter } from '../src/jupyter';
import type { IpynbErrorOutput, IpynbStreamOutput } from '../src/notebook/ipynb-format';
import type {
  DisplayData,
  ErrorOutput,
  ExecuteRequest,
  ExecuteResult,
  InterruptReply,
  InterruptRequest,
  MimeBundle,
  Status,
  Stream,
  UpdateDisplayData,
} from '../src/protocol';

type StreamContent = KernelMessage.IStreamMsg['content'];

describe('the Jupyter check', () => {
  it('passes Jupyter shapes, narrower field types and named additions through unchanged', () => {
    expectTypeOf<Jupyter<StreamContent, { name: 'stdout'; text: string }>>().toEqualTypeOf<{ name: 'stdout'; text: string }>();
    expectTypeOf<Jupyter<StreamContent, { name: 'stderr'; text: string; at: number }, { adds: 'at' }>>().toHaveProperty('at');
    expectTypeOf<Jupyter<nbformat.IStream, { output_type: 'stream'; name: string; text: string }, { loosens: 'name' }>>().toHaveProperty('name');
  });

  it('rejects a misspelt field, a missing one, a wider type and an addition not named', () => {
    // @ts-expect-error `txt` is not Jupyter's and not named as an addition
    expectTypeOf<Jupyter<StreamContent, { name: 'stdout'; txt: string }>>();
    // @ts-expect-error Jupyter requires `text`
    expectTypeOf<Jupyter<StreamContent, { name: 'stdout' }>>();
    // @ts-expect-error Jupyter's stream names are stdout and stderr
    expectTypeOf<Jupyter<StreamContent, { name: string; text: string }>>();
    // @ts-expect-error nbformat's fields cannot be misspelt either, despite its index signature
    expectTypeOf<Jupyter<nbformat.IError, { output_type: 'error'; ename: string; evalue: string; trace: string[] }>>();
  });
});

describe('the protocol speaks Jupyter', () => {
  it('sends content that Jupyter itself would accept for the same msg_type', () => {
    expectTypeOf<ExecuteRequest['content']>().toExtend<KernelMessage.IExecuteRequestMsg['content']>();
    expectTypeOf<InterruptRequest['content']>().toExtend<KernelMessage.IInterruptRequestMsg['content']>();
    expectTypeOf<Status['content']>().toExtend<KernelMessage.IStatusMsg['content']>();
    expectTypeOf<Stream['content']>().toExtend<KernelMessage.IStreamMsg['content']>();
    expectTypeOf<DisplayData['content']>().toExtend<KernelMessage.IDisplayDataMsg['content']>();
    expectTypeOf<UpdateDisplayData['content']>().toExtend<KernelMessage.IUpdateDisplayDataMsg['content']>();
    expectTypeOf<ExecuteResult['content']>().toExtend<KernelMessage.IExecuteResultMsg['content']>();
    expectTypeOf<ErrorOutput['content']>().toExtend<KernelMessage.IErrorMsg['content']>();
    expectTypeOf<InterruptReply['content']>().toExtend<KernelMessage.IInterruptReplyMsg['content']>();
    expectTypeOf<MimeBundle>().toExtend<nbformat.IMimeBundle>();
  });

  it('names each message as Jupyter does', () => {
    expectTypeOf<ExecuteRequest['msg_type']>().toEqualTypeOf<KernelMessage.IExecuteRequestMsg['header']['msg_type']>();
    expectTypeOf<UpdateDisplayData['msg_type']>().toEqualTypeOf<'update_display_data'>();
    expectTypeOf<ErrorOutput['msg_type']>().toEqualTypeOf<'error'>();
  });
});

describe('ipynb outputs are nbformat outputs', () => {
  it('where ConvLab types them as strictly as nbformat does', () => {
    expectTypeOf<IpynbErrorOutput>().toExtend<nbformat.IError>();
    expectTypeOf<Omit<IpynbStreamOutput, 'name'> & { name: nbformat.StreamType }>().toExtend<nbformat.IStream>();
  });
});
