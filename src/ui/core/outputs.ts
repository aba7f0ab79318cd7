// Kernel output messages → the ipynb-shaped outputs a cell stores.
import type { OutputMessage } from '../../protocol';
import type { StoredOutput } from '../../notebook/model';

export function storedOutput(message: OutputMessage): StoredOutput {
  switch (message.msg_type) {
    case 'stream':
      return { output_type: 'stream', name: message.content.name, text: message.content.text };
    case 'display_data': {
      const { data, metadata, transient } = message.content;
      const out: StoredOutput = { output_type: 'display_data', data: { ...data }, metadata };
      return transient?.display_id ? { ...out, display_id: transient.display_id } : out;
    }
    case 'execute_result':
      return { output_type: 'execute_result', execution_count: message.content.execution_count, data: { ...message.content.data }, metadata: message.content.metadata };
    case 'error': {
      const { ename, evalue, traceback, line } = message.content;
      return line === undefined ? { output_type: 'error', ename, evalue, traceback } : { output_type: 'error', ename, evalue, traceback, line };
    }
  }
}
