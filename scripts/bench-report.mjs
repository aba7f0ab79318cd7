// Rewrites one "## <title>" section of docs/BENCHMARKS.md, leaving the others as they are,
// so each benchmark script owns its own section.
import { availableParallelism } from 'node:os';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';

const FILE = 'docs/BENCHMARKS.md';
const HEADER = '# ConvLab benchmarks\n\nEvery number below was produced by the command named in its section, on the machine it names. Nothing here is asserted by tests.\n';

export function recordSection(title, body) {
  mkdirSync('docs', { recursive: true });
  let text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : HEADER;
  const stamp = `_Recorded ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}._`;
  const section = `## ${title}\n\n${stamp}\n\n${body.trim()}\n`;
  const re = new RegExp(`## ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n[\\s\\S]*?(?=\\n## |$)`);
  text = re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}`;
  writeFileSync(FILE, text);
}

function machine() {
  return `${process.platform}/${process.arch}, ${availableParallelism()} cores, Node ${process.version}`;
}
